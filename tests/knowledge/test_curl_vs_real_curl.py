"""Differential test: `parse_curl` against the real curl binary, command by command.

Every entry of tests/knowledge/curl_corpus/*.txt is run by bash through /usr/bin/curl against a
capture server on 127.0.0.1 that records the raw request (method, request-target, headers,
body); the parser's request for the same text must match it.

How the real run is set up, and why:
- The command text is written to a bash script as pasted, so bash splits it (the parser's POSIX
  rules are what is under test). A shell function named `curl` puts `--connect-to
  ::127.0.0.1:PORT -k --max-time 5 --noproxy *` in front of the arguments and again after every
  `--next` (curl resets per-transfer options there), so every host goes to the capture server.
- https: the server peeks at the first byte of each connection and wraps it in TLS when it is a
  handshake, with a throwaway self-signed certificate made at test time (`cryptography`) and ALPN
  limited to http/1.1; `-k` lets curl accept it. So scheme, SNI-less Host and TLS are all real,
  and http and https share one listener.
- `$NAME` in a command: the parser keeps it as written (a reader wants to see it), bash would
  expand it. The script exports NAME with the value `$NAME` (or `${NAME}` when only that
  spelling occurs), so both sides see the same text.
- Files a command names (`-d @f`, `-F x=@f`, `-T f`, `-K f`, `-b f`, `-H @f`) are created in a
  temporary directory: data files hold a token derived from the name; config, header and cookie
  files are empty (so they add nothing). For `@file` bodies the parser's `@file` stand-in is
  replaced by that token before comparing: the reference is compared, not real content.
- HOME points at the temp dir so no ~/.curlrc is read.

What is compared, after dropping what curl adds on its own and the parser deliberately omits
(Host, User-Agent: curl/..., Accept: */*, Content-Length, Expect, Connection, unless the
command sets them): method; scheme, Host and request-target against the parser's URL (fragment
and userinfo are never sent; an empty path is sent as "/"); header list in order; body (for -F,
the multipart parts: names, file names and contents).

Entries may start with `#:` lines: `#: id NAME` names the entry; `#: posix` marks that the rest
of the entry, up to a `#: run` line, is a Windows (cmd/PowerShell) copy whose exact POSIX
translation follows `#: run`: the parser reads the Windows text, curl runs the translation.

Known differences between this curl (7.88) and curl 8, which the corpus is judged by, are listed
in EXPECTED_DIFFERENCES with the reason; they are checked to still differ, never skipped
silently. Run this file with `python tests/knowledge/test_curl_vs_real_curl.py` for an
agreement summary.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from knowledge.model import HttpRequest
from knowledge.recognize.curl import find_curl_commands, parse_curl
from knowledge.recognize.curl_url import glob_first
from knowledge.recognize.shell import POSIX, split_command

CURL = "/usr/bin/curl"
CORPUS = Path(__file__).parent / "curl_corpus"
WORKERS = 4

# Headers curl adds itself that the parser deliberately leaves out (it keeps only what says
# something about the user's request); dropped from curl's side unless the parser has them.
CURL_DEFAULTS = ("host", "user-agent", "accept", "content-length", "expect", "connection",
                 "transfer-encoding")  # fmt: skip

# Options curl 8 has and 7.88.1 lacks: 7.88 refuses such a command outright.
CURL8_ONLY = ("--variable", "--expand-", "--follow", "--out-null", "--skip-existing",
              "--show-headers", "--url @")  # fmt: skip
# `--name=value` (the argument in the same word) is curl 8 syntax; 7.88 calls it unknown.
_LONG_WITH_VALUE = re.compile(r"(?:^|\s)--[a-z][a-z0-9.-]*=")

# entry id -> why curl's request differs from the parser's and the parser is still right (or the
# harness cannot stand in for what the paste needs). Each listed entry must still differ.
EXPECTED_DIFFERENCES: dict[str, str] = {
    "docker-socket-get": "--unix-socket: curl talks to a socket file, not to the capture server",
    "docker-socket-post": "--unix-socket: curl talks to a socket file, not to the capture server",
    "gcloud-command-substitution": "$(gcloud ...) is run by bash; the parser keeps it verbatim by design",
    "az-command-substitution": "$(az ...) is run by bash; the parser keeps it verbatim by design",
    "jq-piped-body": "the body is what jq prints; the parser does not run jq and keeps @-",
    "h2c-upgrade": "--http2 on http://: curl 7.88 asks for a 32 MiB stream window in "
    "HTTP2-Settings (AAMAAABkAAQCAAAAAAIAAAAA); curl 8 (lib/http2.c "
    "H2_STREAM_WINDOW_SIZE_INITIAL, 8.18's -v output) for 64 KiB: AAMAAABkAAQAAQAAAAIAAAAA",
    "slack-webhook-url-variable": "the URL is only $SLACK_WEBHOOK_URL: nothing to send it to",
    "okta-placeholder-host": "the host is ${yourOktaDomain}: nothing to send it to",
    "postman-absolute-form-file": "the form file is /path/to/file.pdf, which the harness does "
    "not create outside its directory",
    "client-certificate": "--cert: the harness has no client certificate for curl to load",
    "password-prompt": "-u without a password: curl asks at the terminal; with no terminal (as "
    "here) it sends an empty one, which says nothing about the user's real request",
    "digest-post-first-leg": "--digest with data: curl's first request has an empty body while it "
    "waits for the challenge; the capture server never challenges, so the real one never goes",
    # The engine issue asks for URL globbing to be left alone: the diagnosis quotes the URL the
    # user wrote, and notes the first URL curl would fetch.
    "syntax_edges-15": "URL glob [1-3] left as written by design; curl fetches /1 first",
    "syntax_edges-16": "URL glob {users,groups} left as written by design; curl fetches users first",
}

# Differences that are not the parser's, applied to every entry (each is explained where used):
# - percent-escape case: curl 7.88 lower-cases the hex of escapes in a query it appends (-G,
#   --url-query) and keeps the user's case elsewhere; curl 8.20+ upper-cases every escape in
#   the URL (curl commit 0b4ebebb06, curl/curl#21524). The parser follows curl 8.20+, so hex
#   digits of escapes in the request-target are compared without case.
# - --aws-sigv4: curl computes Authorization and X-Amz-* from the clock and the secret when it
#   sends; the parser notes that instead. Those headers are dropped from curl's side.
# - Connection: curl 8 (lib/http.c, http_add_connection_hd) sends one Connection header, last:
#   the first -H Connection's value, then TE (--tr-encoding), then Upgrade, HTTP2-Settings
#   (h2c). 7.88 sends its own where TE and Upgrade go and a -H one among the custom headers;
#   curl's Connection headers are merged the curl 8 way and moved last before comparing.
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_BOUNDARY = re.compile(r";\s*boundary=[^;]*")
_SIGV4_HEADERS = ("authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token")


# ---------------------------------------------------------------------------------------------
# Corpus


@dataclass
class Entry:
    """One corpus command: `paste` is given to the parser, `run` to bash."""

    id: str
    paste: str
    run: str


def load_corpus() -> list[Entry]:
    entries: list[Entry] = []
    for path in sorted(CORPUS.glob("*.txt")):
        chunks = re.split(r"^#---[ \t]*$", path.read_text(encoding="utf-8"), flags=re.M)
        number = 0
        for chunk in chunks:
            if not chunk.strip():
                continue
            number += 1
            name = f"{path.stem}-{number}"
            paste_lines: list[str] = []
            run_lines: list[str] = []
            target = paste_lines
            translated = False
            for line in chunk.strip("\n").split("\n"):
                if line.startswith("#: id "):
                    name = line[6:].strip()
                elif line.startswith("#: posix"):
                    translated = True
                elif line.startswith("#: run"):
                    target = run_lines
                else:
                    target.append(line)
            paste = "\n".join(paste_lines).strip("\n")
            run = "\n".join(run_lines).strip("\n") if translated else paste
            entries.append(Entry(name, paste, run))
    return entries


# ---------------------------------------------------------------------------------------------
# Capture server


@dataclass
class Captured:
    """One request as it arrived on the wire."""

    tls: bool
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes


def _make_tls_context(directory: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate (EC, valid one day)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "capture.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / "cert.pem"
    key_file = directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.set_alpn_protocols(["http/1.1"])  # keep curl on HTTP/1.1 so the wire is readable
    return context


class _Reader:
    """Buffered reads from a socket with a hard cap on what one request may be."""

    LIMIT = 4_000_000

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk or len(self.buffer) > self.LIMIT:
            return False
        self.buffer += chunk
        return True

    def until(self, marker: bytes) -> bytes | None:
        while marker not in self.buffer:
            if not self._fill():
                return None
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def exactly(self, size: int) -> bytes | None:
        while len(self.buffer) < size:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


class CaptureServer:
    """Listens on 127.0.0.1, answers every request `200` with an empty body, keeps them all."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.tls = tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(30)
        self.port: int = self.listener.getsockname()[1]
        self.requests: list[Captured] = []
        self.lock = threading.Lock()
        self.running = True
        self.threads: list[threading.Thread] = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def close(self) -> None:
        if not self.running:
            return
        self.running = False
        with contextlib.suppress(OSError):  # wake the blocked accept() so it sees `running`
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self.acceptor.join(2)
        for thread in self.threads:
            thread.join(2)
        self.listener.close()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            if not self.running:
                conn.close()
                break
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(6)
        sock: socket.socket = conn
        try:
            first = conn.recv(1, socket.MSG_PEEK)
            tls = first == b"\x16"
            if tls:
                sock = self.tls.wrap_socket(conn, server_side=True)
            reader = _Reader(sock)
            while self._one_request(reader, sock, tls):
                pass
        except (OSError, ssl.SSLError):
            pass
        finally:
            sock.close()

    def _one_request(self, reader: _Reader, sock: socket.socket, tls: bool) -> bool:
        head = reader.until(b"\r\n\r\n")
        if head is None:
            return False
        lines = head.decode("utf-8", "surrogateescape").split("\r\n")
        method, _, rest = lines[0].partition(" ")
        target = rest.rsplit(" ", 1)[0]
        # leading blanks are not part of a field value; trailing ones are kept as curl sent them
        headers = [
            (name, value.lstrip(" \t"))
            for name, _, value in (line.partition(":") for line in lines[1:] if line)
        ]
        lowered = {name.lower(): value for name, value in headers}
        if lowered.get("expect", "").lower() == "100-continue":
            sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = b""
        if "chunked" in lowered.get("transfer-encoding", "").lower():
            while True:
                size_line = reader.until(b"\r\n")
                if size_line is None:
                    return False
                size = int(size_line.split(b";")[0] or b"0", 16)
                if size == 0:
                    reader.until(b"\r\n")
                    break
                chunk = reader.exactly(size + 2)
                if chunk is None:
                    return False
                body += chunk[:-2]
        elif "content-length" in lowered:
            data = reader.exactly(int(lowered["content-length"]))
            if data is None:
                return False
            body = data
        with self.lock:
            self.requests.append(Captured(tls, method, target, headers, body))
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        return True


# ---------------------------------------------------------------------------------------------
# Running one command through bash and curl

_SCRIPT_HEAD = """\
sudo() {{ "$@"; }}
curl() {{
  local extra=(--connect-to ::127.0.0.1:{port} -k --max-time 5 --noproxy '*')
  local args=("${{extra[@]}}") a
  for a in "$@"; do
    args+=("$a")
    case $a in --next|-:) args+=("${{extra[@]}}");; esac
  done
  {curl} "${{args[@]}}"
}}
"""
_VARIABLE = re.compile(r"\$(\{?)([A-Za-z_][A-Za-z0-9_]*)")
_PROMPT = re.compile(r"^(?:\$|[\w.-]+@[\w.-]+:[^$\n]*\$)[ \t]+")


def _file_token(name: str) -> str:
    """What a data file named `name` holds: unreserved characters only, so urlencoding,
    newline stripping and JSON leave it alone."""
    return "FILE_" + re.sub(r"[^A-Za-z0-9]", "_", name)


def _referenced_files(words: list[str]) -> dict[str, str]:
    """Relative file names the words point curl at, with the content to give each."""
    found: dict[str, str] = {}
    empty_after = {"-K", "--config", "-b", "--cookie"}
    data_after = {"-T", "--upload-file"}
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        candidates: list[tuple[str, str]] = []
        if previous in empty_after and "=" not in word:
            candidates.append((word, ""))
        elif previous in data_after or (previous.startswith("-T") and previous != "-T"):
            candidates.append((word, "data"))
        if previous in ("-H", "--header") and word.startswith("@"):
            candidates.append((word[1:], ""))
        elif word.startswith("@"):
            candidates.append((word[1:], "data"))
        for marker in ("=@", "=<", "@"):
            at = word.find(marker)
            if at > 0 and not word.startswith("-"):
                candidates.append((word[at + len(marker) :].split(";", 1)[0].strip('"'), "data"))
                break
        for name, kind in candidates:
            if previous in data_after:
                name = glob_first(name).first  # -T globs its file name as curl globs URLs
            if _safe_name(name):
                found.setdefault(name, "" if kind == "" else _file_token(name))
    return found


def _safe_name(name: str) -> bool:
    """A relative file name the harness may create inside its temporary directory."""
    return (
        bool(name)
        and name != "-"
        and not name.startswith(("/", "~"))
        and ".." not in name
        and "://" not in name
        and len(name) < 80
        and re.fullmatch(r"[\w./ -]+", name) is not None
    )


@dataclass
class Outcome:
    """What curl did with one command."""

    requests: list[Captured] = field(default_factory=list)
    returncode: int | None = None
    stderr: str = ""
    files: dict[str, str] = field(default_factory=dict)
    # (name, value) of each --form-string part: sent literally, `;type=` and all
    form_strings: set[tuple[str, str]] = field(default_factory=set)
    skipped: str | None = None


def run_real_curl(entry: Entry, tls: ssl.SSLContext) -> Outcome:
    for marker in CURL8_ONLY:
        if marker in entry.run:
            return Outcome(skipped=f"uses {marker.strip()}, which curl 7.88 lacks")
    if _LONG_WITH_VALUE.search(entry.run):
        return Outcome(skipped="uses --name=value, which curl 7.88 lacks")
    server = CaptureServer(tls)
    workdir = Path(tempfile.mkdtemp(prefix="curldiff-"))
    try:
        run = _PROMPT.sub("", entry.run.lstrip())
        words = split_command(run, flavour=POSIX).words
        files = _referenced_files(words)
        form_strings = {
            (value.partition("=")[0], value.partition("=")[2])
            for option, value in itertools.pairwise(words)
            if option == "--form-string"
        }
        for name, content in files.items():
            target = workdir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text(content, encoding="utf-8")
        script = workdir / "command.sh"
        script.write_text(
            _SCRIPT_HEAD.format(port=server.port, curl=CURL) + run + "\n", encoding="utf-8"
        )
        env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8"}
        for brace, name in sorted(set(_VARIABLE.findall(run))):
            if name == "PATH":
                continue
            # "$NAME" wins when both spellings occur: one variable can hold only one text
            env[name] = "${" + name + "}" if brace and name not in env else "$" + name
        done = subprocess.run(
            ["bash", str(script)],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=20,
            check=False,
        )
        server.close()
        return Outcome(
            list(server.requests),
            done.returncode,
            done.stderr.decode("utf-8", "replace")[-600:],
            files,
            form_strings,
        )
    finally:
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Comparing


def expected_target(url: str) -> tuple[str, str, str]:
    """(scheme, host[:port] as the Host header has it, request-target) for a parsed URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    port = parts.port
    if port is not None and port != default:
        host = f"{host}:{port}"
    target = parts.path or "/"
    if parts.query or url.split("#", 1)[0].endswith("?"):
        target += "?" + parts.query
    return scheme, host, target


def _connection_last(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """curl 7.88's Connection headers as curl 8 sends them: merged into one, last."""
    values = [value for name, value in headers if name.lower() == "connection"]
    if not values:
        return headers
    given: str | None = None
    te = upgrade = False
    for value in values:
        if value == "Upgrade, HTTP2-Settings":
            upgrade = True
        elif value == "TE" or value.endswith(", TE"):  # 7.88 merged a -H value into its own
            te = True
            given = given if given is not None or value == "TE" else value[:-4]
        elif given is None:
            given = value
    tokens = ([given] if given else []) + (["TE"] if te else [])
    tokens += ["Upgrade", "HTTP2-Settings"] if upgrade else []
    rest = [(name, value) for name, value in headers if name.lower() != "connection"]
    return [*rest, ("Connection", ", ".join(tokens))] if tokens else rest


def _multipart(body: bytes, content_type: str) -> list[tuple[str, str | None, str]]:
    """(name, filename, content) of each part of a multipart body."""
    m = re.search(r'boundary="?([^";]+)', content_type)
    if m is None:
        return []
    boundary = b"--" + m.group(1).encode()
    parts: list[tuple[str, str | None, str]] = []
    for raw in body.split(boundary)[1:]:
        if raw.startswith(b"--"):
            break
        head, _, content = raw.strip(b"\r\n").partition(b"\r\n\r\n")
        text = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', text)
        filename = re.search(r'filename="([^"]*)"', text)
        parts.append(
            (
                name.group(1) if name else "",
                filename.group(1) if filename else None,
                content.decode("utf-8", "surrogateescape"),
            )
        )
    return parts


def _expected_parts(request: HttpRequest, outcome: Outcome) -> list[tuple[str, str | None, str]]:
    files = outcome.files
    out: list[tuple[str, str | None, str]] = []
    for name, value in request.form:
        if (name, value) in outcome.form_strings:
            out.append((name, None, value))
        elif value.startswith(("@", "<")) and request.body_files:
            path = value[1:].split(";", 1)[0].strip('"')
            override = re.search(r";filename=([^;]*)", value)
            filename = None
            if value[0] == "@":
                filename = override.group(1) if override else path.rsplit("/", 1)[-1]
            out.append((name, filename, files.get(path, "")))
        else:
            cut = re.search(r";(?:type|filename|headers|encoder)=", value)
            override = re.search(r";filename=([^;]*)", value)
            filename = override.group(1) if override else None
            # line breaks around a part's content are lost in `_multipart` too
            content = (value[: cut.start()] if cut else value).strip("\r\n")
            out.append((name, filename, content))
    return out


def compare(request: HttpRequest | None, outcome: Outcome) -> list[str]:
    """Differences between the parser's request and the first one curl sent ([] = agree)."""
    if not outcome.requests:
        if request is None:
            return []
        refused = any(
            word in note for note in request.notes for word in ("refuse", "rejects", "prompt")
        )
        if refused:
            return []
        return [f"curl sent nothing (exit {outcome.returncode}: {outcome.stderr.strip()[:200]})"]
    sent = outcome.requests[0]
    if request is None:
        return [f"parser found no request; curl sent {sent.method} {sent.target}"]
    problems: list[str] = []
    if request.method != sent.method:
        problems.append(f"method: parser {request.method!r}, curl {sent.method!r}")
    scheme, host, target = expected_target(request.url)
    # curl sends a -H Host: in place of its own, first; it is compared here, not in the list
    host = (request.header("Host") or host).lower()
    if not host.isascii():
        # curl sends an IDN host as punycode; the parser keeps the URL as the user wrote it
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    target = str(request.options.get("request-target") or target)
    if request.options.get("get") is True:
        # -G moves `@file` data into the query: the file's content is what curl sends
        for name in sorted(set(request.body_files), key=len, reverse=True):
            target = target.replace("@" + name, outcome.files.get(name, "@" + name))
    curl_scheme = "https" if sent.tls else "http"
    curl_host = next((v for k, v in sent.headers if k.lower() == "host"), "").lower()
    sent_target = _ESCAPE.sub(lambda m: m.group().upper(), sent.target)
    target = _ESCAPE.sub(lambda m: m.group().upper(), target)
    if (scheme, host, target) != (curl_scheme, curl_host, sent_target):
        problems.append(
            f"url: parser {request.url!r} -> {(scheme, host, target)}, "
            f"curl {(curl_scheme, curl_host, sent.target)}"
        )
    named = {name.lower() for name, _ in request.headers}
    signed = "aws-sigv4" in request.options
    curl_headers = [
        (name, value)
        for name, value in sent.headers
        if (name.lower() not in CURL_DEFAULTS or name.lower() in named)
        and not (signed and name.lower() in _SIGV4_HEADERS and name.lower() not in named)
        and name.lower() != "host"
    ]
    curl_headers = _connection_last(curl_headers)
    ours = [(name, value) for name, value in request.headers if name.lower() != "host"]
    content_type = next((v for k, v in sent.headers if k.lower() == "content-type"), "")
    # a -F body whatever type -H gave it: curl appends its boundary to that type
    multipart = bool(request.form) and "boundary=" in content_type
    if multipart:
        # the boundary is random: compare without it (and without one the user typed in -H)
        curl_headers = [
            (k, _BOUNDARY.sub("", v) if k.lower() == "content-type" else v) for k, v in curl_headers
        ]
        ours = [(k, _BOUNDARY.sub("", v) if k.lower() == "content-type" else v) for k, v in ours]
    if ours != curl_headers:
        problems.append(f"headers: parser {ours}, curl {curl_headers}")
    if multipart:
        expected_parts = _expected_parts(request, outcome)
        parts = _multipart(sent.body, content_type)
        if parts != expected_parts:
            problems.append(f"form: parser {expected_parts}, curl {parts}")
    else:
        body = request.body
        if body is not None:
            for name in sorted(set(request.body_files), key=len, reverse=True):
                body = body.replace("@" + name, "" if name == "-" else outcome.files.get(name, ""))
        elif "upload-file" in request.options:
            name = glob_first(str(request.options["upload-file"])).first
            body = outcome.files.get(name, "")
        sent_body = sent.body.decode("utf-8", "surrogateescape")
        if (body or "") != sent_body:
            problems.append(f"body: parser {body!r}, curl {sent_body!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# The test

ENTRIES = load_corpus()
_HAVE_CURL = os.path.exists(CURL)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    if not _HAVE_CURL:
        pytest.skip(f"{CURL} is not installed")
    with tempfile.TemporaryDirectory() as directory:
        tls = _make_tls_context(Path(directory))
        with ThreadPoolExecutor(WORKERS) as pool:
            results = pool.map(lambda entry: run_real_curl(entry, tls), ENTRIES)
            return {entry.id: outcome for entry, outcome in zip(ENTRIES, results, strict=True)}


def test_corpus_is_large_and_ids_unique() -> None:
    assert len(ENTRIES) >= 250
    ids = [entry.id for entry in ENTRIES]
    assert len(set(ids)) == len(ids), [i for i in ids if ids.count(i) > 1]
    assert set(EXPECTED_DIFFERENCES) <= set(ids)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.id for entry in ENTRIES])
def test_parser_matches_real_curl(entry: Entry, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[entry.id]
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    problems = compare(parse_curl(entry.paste), outcome)
    if entry.id in EXPECTED_DIFFERENCES:
        assert problems, f"{entry.id} now agrees: drop it from EXPECTED_DIFFERENCES"
        return
    assert not problems, "\n".join([entry.paste, *problems])


def test_next_gives_one_request_per_transfer(outcomes: dict[str, Outcome]) -> None:
    """`find_curl_commands` returns one request per --next section, as curl sends them."""
    checked = 0
    for entry in ENTRIES:
        outcome = outcomes[entry.id]
        if "--next" not in entry.run or outcome.skipped or not outcome.requests:
            continue
        found = find_curl_commands(entry.paste)
        targets = [expected_target(r.url)[2] for r in found]
        sent = [r.target for r in outcome.requests]
        assert targets == sent[: len(targets)], entry.id
        checked += 1
    assert checked >= 2


# ---------------------------------------------------------------------------------------------
# `python tests/knowledge/test_curl_vs_real_curl.py`: the agreement summary


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        tls = _make_tls_context(Path(directory))
        with ThreadPoolExecutor(WORKERS) as pool:
            results = list(pool.map(lambda entry: run_real_curl(entry, tls), ENTRIES))
    agree = differ = skipped = 0
    for entry, outcome in zip(ENTRIES, results, strict=True):
        if outcome.skipped:
            skipped += 1
            continue
        problems = compare(parse_curl(entry.paste), outcome)
        if problems:
            differ += 1
            print(f"--- {entry.id}\n{entry.paste}\n  " + "\n  ".join(problems))
        else:
            agree += 1
    total = agree + differ
    print(f"\n{agree}/{total} agree ({100 * agree / max(total, 1):.1f}%), {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())

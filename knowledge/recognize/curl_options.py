"""curl's command-line options, as the project's own table.

Each long option name maps to its short letter (if any) and its kind:
`FLAG` takes no argument, `BOOL` takes none and also accepts a `--no-NAME` form, `ARG` takes
the next word (or the rest of a short-flag group, or `=value`) as its argument.

The facts come from curl's option table (`src/tool_getparam.c`, curl 8.x); the product keeps
this copy so it works without ../shared. tests/knowledge/test_curl_options.py checks it against
shared/data/curl-options.csv when that file is present.
"""

from __future__ import annotations

from dataclasses import dataclass

FLAG = "flag"
BOOL = "bool"
ARG = "arg"

# The longest option name curl looks for before an `=` in `--name=value`.
MAX_OPTION_LEN = 26

_TABLE: dict[str, tuple[str | None, str]] = {
    "abstract-unix-socket": (None, ARG),
    "alpn": (None, BOOL),
    "alt-svc": (None, ARG),
    "anyauth": (None, FLAG),
    "append": ("a", BOOL),
    "aws-sigv4": (None, ARG),
    "basic": (None, BOOL),
    "buffer": ("N", BOOL),
    "ca-native": (None, BOOL),
    "cacert": (None, ARG),
    "capath": (None, ARG),
    "cert": ("E", ARG),
    "cert-status": (None, BOOL),
    "cert-type": (None, ARG),
    "ciphers": (None, ARG),
    "clobber": (None, BOOL),
    "compressed": (None, BOOL),
    "compressed-ssh": (None, BOOL),
    "config": ("K", ARG),
    "connect-timeout": (None, ARG),
    "connect-to": (None, ARG),
    "continue-at": ("C", ARG),
    "cookie": ("b", ARG),
    "cookie-jar": ("c", ARG),
    "create-dirs": (None, BOOL),
    "create-file-mode": (None, ARG),
    "crlf": (None, BOOL),
    "crlfile": (None, ARG),
    "curves": (None, ARG),
    "data": ("d", ARG),
    "data-ascii": (None, ARG),
    "data-binary": (None, ARG),
    "data-raw": (None, ARG),
    "data-urlencode": (None, ARG),
    "delegation": (None, ARG),
    "digest": (None, BOOL),
    "disable": ("q", BOOL),
    "disable-eprt": (None, BOOL),
    "disable-epsv": (None, BOOL),
    "disallow-username-in-url": (None, BOOL),
    "dns-interface": (None, ARG),
    "dns-ipv4-addr": (None, ARG),
    "dns-ipv6-addr": (None, ARG),
    "dns-servers": (None, ARG),
    "doh-cert-status": (None, BOOL),
    "doh-insecure": (None, BOOL),
    "doh-url": (None, ARG),
    "dump-ca-embed": (None, FLAG),
    "dump-header": ("D", ARG),
    "ech": (None, ARG),
    "egd-file": (None, ARG),
    "engine": (None, ARG),
    "eprt": (None, BOOL),
    "epsv": (None, BOOL),
    "etag-compare": (None, ARG),
    "etag-save": (None, ARG),
    "expect100-timeout": (None, ARG),
    "fail": ("f", BOOL),
    "fail-early": (None, BOOL),
    "fail-with-body": (None, BOOL),
    "false-start": (None, BOOL),
    "follow": (None, BOOL),
    "form": ("F", ARG),
    "form-escape": (None, BOOL),
    "form-string": (None, ARG),
    "ftp-account": (None, ARG),
    "ftp-alternative-to-user": (None, ARG),
    "ftp-create-dirs": (None, BOOL),
    "ftp-method": (None, ARG),
    "ftp-pasv": (None, FLAG),
    "ftp-port": ("P", ARG),
    "ftp-pret": (None, BOOL),
    "ftp-skip-pasv-ip": (None, BOOL),
    "ftp-ssl": (None, BOOL),
    "ftp-ssl-ccc": (None, BOOL),
    "ftp-ssl-ccc-mode": (None, ARG),
    "ftp-ssl-control": (None, BOOL),
    "ftp-ssl-reqd": (None, BOOL),
    "get": ("G", BOOL),
    "globoff": ("g", BOOL),
    "happy-eyeballs-timeout-ms": (None, ARG),
    "haproxy-clientip": (None, ARG),
    "haproxy-protocol": (None, BOOL),
    "head": ("I", BOOL),
    "header": ("H", ARG),
    "help": ("h", ARG),
    "hostpubmd5": (None, ARG),
    "hostpubsha256": (None, ARG),
    "hsts": (None, ARG),
    "http0.9": (None, BOOL),
    "http1.0": ("0", FLAG),
    "http1.1": (None, FLAG),
    "http2": (None, FLAG),
    "http2-prior-knowledge": (None, FLAG),
    "http3": (None, FLAG),
    "http3-only": (None, FLAG),
    "httpsig-algo": (None, ARG),
    "httpsig-headers": (None, ARG),
    "httpsig-key": (None, ARG),
    "httpsig-keyid": (None, ARG),
    "ignore-content-length": (None, BOOL),
    "include": (None, BOOL),
    "insecure": ("k", BOOL),
    "interface": (None, ARG),
    "ip-tos": (None, ARG),
    "ipfs-gateway": (None, ARG),
    "ipv4": ("4", FLAG),
    "ipv6": ("6", FLAG),
    "json": (None, ARG),
    "junk-session-cookies": ("j", BOOL),
    "keepalive": (None, BOOL),
    "keepalive-cnt": (None, ARG),
    "keepalive-time": (None, ARG),
    "key": (None, ARG),
    "key-type": (None, ARG),
    "knownhosts": (None, ARG),
    "krb": (None, ARG),
    "krb4": (None, ARG),
    "libcurl": (None, ARG),
    "limit-rate": (None, ARG),
    "list-only": ("l", BOOL),
    "local-port": (None, ARG),
    "location": ("L", BOOL),
    "location-trusted": (None, BOOL),
    "login-options": (None, ARG),
    "mail-auth": (None, ARG),
    "mail-from": (None, ARG),
    "mail-rcpt": (None, ARG),
    "mail-rcpt-allowfails": (None, BOOL),
    "manual": ("M", BOOL),
    "max-filesize": (None, ARG),
    "max-redirs": (None, ARG),
    "max-time": ("m", ARG),
    "metalink": (None, BOOL),
    "mptcp": (None, BOOL),
    "negotiate": (None, BOOL),
    "netrc": ("n", BOOL),
    "netrc-file": (None, ARG),
    "netrc-optional": (None, BOOL),
    "next": (":", FLAG),
    "noproxy": (None, ARG),
    "npn": (None, BOOL),
    "ntlm": (None, BOOL),
    "ntlm-wb": (None, BOOL),
    "oauth2-bearer": (None, ARG),
    "out-null": (None, BOOL),
    "output": ("o", ARG),
    "output-dir": (None, ARG),
    "parallel": ("Z", BOOL),
    "parallel-immediate": (None, BOOL),
    "parallel-max": (None, ARG),
    "parallel-max-host": (None, ARG),
    "pass": (None, ARG),
    "path-as-is": (None, BOOL),
    "pinnedpubkey": (None, ARG),
    "post301": (None, BOOL),
    "post302": (None, BOOL),
    "post303": (None, BOOL),
    "preproxy": (None, ARG),
    "progress-bar": ("#", BOOL),
    "progress-meter": (None, BOOL),
    "proto": (None, ARG),
    "proto-default": (None, ARG),
    "proto-redir": (None, ARG),
    "proxy": ("x", ARG),
    "proxy-anyauth": (None, BOOL),
    "proxy-basic": (None, BOOL),
    "proxy-ca-native": (None, BOOL),
    "proxy-cacert": (None, ARG),
    "proxy-capath": (None, ARG),
    "proxy-cert": (None, ARG),
    "proxy-cert-type": (None, ARG),
    "proxy-ciphers": (None, ARG),
    "proxy-crlfile": (None, ARG),
    "proxy-digest": (None, BOOL),
    "proxy-header": (None, ARG),
    "proxy-http2": (None, BOOL),
    "proxy-http3": (None, BOOL),
    "proxy-insecure": (None, BOOL),
    "proxy-key": (None, ARG),
    "proxy-key-type": (None, ARG),
    "proxy-negotiate": (None, BOOL),
    "proxy-ntlm": (None, BOOL),
    "proxy-pass": (None, ARG),
    "proxy-pinnedpubkey": (None, ARG),
    "proxy-service-name": (None, ARG),
    "proxy-ssl-allow-beast": (None, BOOL),
    "proxy-ssl-auto-client-cert": (None, BOOL),
    "proxy-tls13-ciphers": (None, ARG),
    "proxy-tlsauthtype": (None, ARG),
    "proxy-tlspassword": (None, ARG),
    "proxy-tlsuser": (None, ARG),
    "proxy-tlsv1": (None, FLAG),
    "proxy-user": ("U", ARG),
    "proxy1.0": (None, ARG),
    "proxytunnel": ("p", BOOL),
    "pubkey": (None, ARG),
    "quote": ("Q", ARG),
    "random-file": (None, ARG),
    "range": ("r", ARG),
    "rate": (None, ARG),
    "raw": (None, BOOL),
    "referer": ("e", ARG),
    "remote-header-name": ("J", BOOL),
    "remote-name": ("O", BOOL),
    "remote-name-all": (None, BOOL),
    "remote-time": ("R", BOOL),
    "remove-on-error": (None, BOOL),
    "request": ("X", ARG),
    "request-target": (None, ARG),
    "resolve": (None, ARG),
    "retry": (None, ARG),
    "retry-all-errors": (None, BOOL),
    "retry-connrefused": (None, BOOL),
    "retry-delay": (None, ARG),
    "retry-max-time": (None, ARG),
    "sasl-authzid": (None, ARG),
    "sasl-ir": (None, BOOL),
    "service-name": (None, ARG),
    "sessionid": (None, BOOL),
    "show-error": ("S", BOOL),
    "show-headers": ("i", BOOL),
    "sigalgs": (None, ARG),
    "silent": ("s", BOOL),
    "skip-existing": (None, BOOL),
    "socks4": (None, ARG),
    "socks4a": (None, ARG),
    "socks5": (None, ARG),
    "socks5-basic": (None, BOOL),
    "socks5-gssapi": (None, BOOL),
    "socks5-gssapi-nec": (None, BOOL),
    "socks5-gssapi-service": (None, ARG),
    "socks5-hostname": (None, ARG),
    "speed-limit": ("Y", ARG),
    "speed-time": ("y", ARG),
    "ssl": (None, BOOL),
    "ssl-allow-beast": (None, BOOL),
    "ssl-auto-client-cert": (None, BOOL),
    "ssl-no-revoke": (None, BOOL),
    "ssl-reqd": (None, BOOL),
    "ssl-revoke-best-effort": (None, BOOL),
    "ssl-sessions": (None, ARG),
    "sslv2": ("2", FLAG),
    "sslv3": ("3", FLAG),
    "stderr": (None, ARG),
    "styled-output": (None, BOOL),
    "suppress-connect-headers": (None, BOOL),
    "tcp-fastopen": (None, BOOL),
    "tcp-nodelay": (None, BOOL),
    "telnet-option": ("t", ARG),
    "test-duphandle": (None, BOOL),
    "test-event": (None, BOOL),
    "tftp-blksize": (None, ARG),
    "tftp-no-options": (None, BOOL),
    "time-cond": ("z", ARG),
    "tls-earlydata": (None, BOOL),
    "tls-max": (None, ARG),
    "tls13-ciphers": (None, ARG),
    "tlsauthtype": (None, ARG),
    "tlspassword": (None, ARG),
    "tlsuser": (None, ARG),
    "tlsv1": ("1", FLAG),
    "tlsv1.0": (None, FLAG),
    "tlsv1.1": (None, FLAG),
    "tlsv1.2": (None, FLAG),
    "tlsv1.3": (None, FLAG),
    "tr-encoding": (None, BOOL),
    "trace": (None, ARG),
    "trace-ascii": (None, ARG),
    "trace-config": (None, ARG),
    "trace-ids": (None, BOOL),
    "trace-time": (None, BOOL),
    "unix-socket": (None, ARG),
    "upload-file": ("T", ARG),
    "upload-flags": (None, ARG),
    "url": (None, ARG),
    "url-query": (None, ARG),
    "use-ascii": ("B", BOOL),
    "user": ("u", ARG),
    "user-agent": ("A", ARG),
    "variable": (None, ARG),
    "verbose": ("v", BOOL),
    "version": ("V", BOOL),
    "vlan-priority": (None, ARG),
    "wdebug": (None, BOOL),
    "write-out": ("w", ARG),
    "xattr": (None, BOOL),
}

# Options curl documents as `--no-NAME`: their short letter (only -N today) switches them off.
DOCUMENTED_AS_NO: frozenset[str] = frozenset(
    {"alpn", "buffer", "clobber", "keepalive", "progress-meter", "sessionid"}
)

# Options curl still accepts but ignores.
DEPRECATED: frozenset[str] = frozenset(
    {
        "egd-file",
        "krb",
        "krb4",
        "metalink",
        "npn",
        "ntlm-wb",
        "proxy-tlsauthtype",
        "proxy-tlspassword",
        "proxy-tlsuser",
        "random-file",
        "sslv2",
        "sslv3",
        "tlsauthtype",
        "tlspassword",
        "tlsuser",
    }
)


@dataclass(frozen=True)
class CurlOption:
    """One curl option: `name` is the long name without `--`."""

    name: str
    short: str | None
    kind: str

    @property
    def takes_argument(self) -> bool:
        return self.kind == ARG

    @property
    def is_bool(self) -> bool:
        return self.kind == BOOL


OPTIONS: dict[str, CurlOption] = {
    name: CurlOption(name, short, kind) for name, (short, kind) in _TABLE.items()
}
SHORT: dict[str, CurlOption] = {opt.short: opt for opt in OPTIONS.values() if opt.short}
_SORTED_NAMES: tuple[str, ...] = tuple(sorted(OPTIONS))


@dataclass(frozen=True)
class LongMatch:
    """How one `--word` resolves.

    `option` is None when nothing matched (`problem` says why). `negated` is the `--no-` form,
    `expand` the `--expand-` form, `value` the argument given as `--name=value`, and
    `by_prefix` says only an unambiguous prefix matched (older curls accepted `--sil`),
    `folded` that the name matched only without case (older curls accepted `--Header`).
    """

    option: CurlOption | None
    negated: bool = False
    expand: bool = False
    value: str | None = None
    by_prefix: bool = False
    problem: str | None = None
    folded: bool = False


def _find(name: str) -> tuple[CurlOption | None, bool, str | None]:
    """Exact name first, then an unambiguous prefix (curl 7 behaviour)."""
    exact = OPTIONS.get(name)
    if exact is not None:
        return exact, False, None
    if not name:
        return None, False, "empty option name"
    hits = [n for n in _SORTED_NAMES if n.startswith(name)]
    if len(hits) == 1:
        return OPTIONS[hits[0]], True, None
    if hits:
        return None, False, f"ambiguous option --{name} ({', '.join(hits[:4])}...)"
    return None, False, f"unknown option --{name}"


def resolve_long(word: str) -> LongMatch:
    """Resolve a word that starts with `--` (the dashes included) the way curl 8 does; failing
    that, as curl 7 did without case (`folded`): curl 8 refuses such a name."""
    match = _resolve(word)
    name, sep, rest = word[2:].partition("=")
    if match.option is None and name.lower() != name:
        lowered = _resolve("--" + name.lower() + sep + rest)
        if lowered.option is not None:
            return LongMatch(lowered.option, lowered.negated, lowered.expand, lowered.value,
                             lowered.by_prefix, folded=True)  # fmt: skip
    return match


def _resolve(word: str) -> LongMatch:
    body = word[2:]
    negated = expand = False
    if body.startswith("no-"):
        body = body[3:]
        negated = True
    elif body.startswith("expand-"):
        body = body[7:]
        expand = True
    value: str | None = None
    eq = body.find("=", 0, MAX_OPTION_LEN + 1)
    if eq > 0:
        body, value = body[:eq], body[eq + 1 :]
    option, by_prefix, problem = _find(body)
    if option is None and negated:
        # `--no-` may itself be the start of a real name, e.g. an unknown `--no-foo`
        whole, by_prefix, _ = _find(word[2:])
        if whole is not None:
            return LongMatch(whole, by_prefix=by_prefix)
    if option is None:
        return LongMatch(None, problem=problem)
    if negated and not option.is_bool:
        return LongMatch(
            None, problem=f"--no-{option.name}: only boolean options have a --no- form"
        )
    if expand and not option.takes_argument:
        return LongMatch(None, problem=f"--expand-{option.name}: option takes no argument")
    return LongMatch(option, negated=negated, expand=expand, value=value, by_prefix=by_prefix)

"""PEM private-key blocks (`-----BEGIN ... PRIVATE KEY-----`), whole or truncated, also JSON-escaped;
and the private part of PuTTY key files (`Private-Lines: N` then N lines of base64)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.model import MASK, MAX_MATCHES_PER_DETECTOR, PRIORITY_SHAPE, Hit, Secret
from knowledge.secrets.placeholders import repeated

_PEM_BEGIN_RE = re.compile(
    r"-----BEGIN (?P<t>[A-Z0-9]{1,20}(?: [A-Z0-9]{1,20}){0,2} )?PRIVATE KEY(?: BLOCK)?-----"
)
_PEM_END_RE = re.compile(r"-----END [A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----")
# Body of a PEM block that lost its END line: base64, whitespace, literal `\n` escapes.
_PEM_BODY_RE = re.compile(r"(?:[A-Za-z0-9+/=:, \t\r\n]|\\[nr]){1,20000}")
_PEM_MAX_BODY = 20_000
_PEM_LINE_SPLIT_RE = re.compile(r"(?:\\[nr]|[\r\n])+")


def scan_pem(text: str) -> Iterator[Hit]:
    """Whole PEM private-key blocks, also with JSON `\\n` escapes (service-account files)."""
    ends = list(_PEM_END_RE.finditer(text))  # one pass; each BEGIN then takes the next END
    end_index = 0
    covered = 0
    begin_pos = text.find("-----BEGIN ")
    for _ in range(MAX_MATCHES_PER_DETECTOR):
        if begin_pos < 0:
            return
        begin = _PEM_BEGIN_RE.match(text, begin_pos)
        begin_pos = text.find("-----BEGIN ", begin_pos + 1)
        if begin is None or begin.start() < covered:
            continue
        while end_index < len(ends) and ends[end_index].start() < begin.end():
            end_index += 1
        end = ends[end_index] if end_index < len(ends) else None
        if end is not None and end.start() - begin.end() <= _PEM_MAX_BODY:
            stop = end.end()
            body = text[begin.end() : end.start()]
        else:
            # Truncated paste: take the base64 run after BEGIN.
            run = _PEM_BODY_RE.match(text, begin.end())
            stop = run.end() if run else begin.end()
            body = text[begin.end() : stop]
        covered = stop
        lines = [line.strip() for line in _PEM_LINE_SPLIT_RE.split(body)]
        material = "".join(line for line in lines if ":" not in line)
        if len(material) < 40 or "..." in body or repeated(material):
            continue
        value = text[begin.start() : stop]
        forms = tuple(line for line in lines if len(line) >= 16)
        kind_label = (begin.group("t") or "").strip()
        label = f"{kind_label} private key".capitalize() if kind_label else "Private key"
        yield Hit(
            Secret("private_key", label, value, begin.group(0) + MASK, True, forms),
            begin.start(),
            stop,
            PRIORITY_SHAPE,
        )


_PPK_RE = re.compile(r"Private-Lines:[ \t]{0,4}(?P<n>[0-9]{1,3})[ \t]{0,4}\r?\n")
_PPK_LINE_RE = re.compile(r"[ \t>]{0,8}(?P<line>[A-Za-z0-9+/=]{4,128})[ \t]{0,8}(?:\r?\n|$)")


def scan_ppk(text: str) -> Iterator[Hit]:
    """The private lines of a PuTTY `.ppk` key."""
    index = text.find("Private-Lines:")
    for _ in range(MAX_MATCHES_PER_DETECTOR):
        if index < 0:
            return
        match = _PPK_RE.match(text, index)
        index = text.find("Private-Lines:", index + 1)
        if match is None:
            continue
        pos, lines = match.end(), []
        for _ in range(min(int(match.group("n")), 64)):
            line = _PPK_LINE_RE.match(text, pos)
            if line is None:
                break
            lines.append(line.group("line"))
            pos = line.end()
        material = "".join(lines)
        if len(material) < 16 or repeated(material):
            continue
        start = match.end()
        value = text[start:pos].rstrip("\r\n")
        yield Hit(Secret("private_key", "PuTTY private key", value, MASK, True, tuple(lines)),
                  start, start + len(value), PRIORITY_SHAPE)

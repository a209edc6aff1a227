"""What curl does to a URL before it sends it: globbing and its URL parser's normalisation.

- Globbing (tool_urlglob.c): `{a,b}` sets and `[1-3]` / `[a-c]` / `[01-10:2]` ranges make
  several URLs; curl requests the first one first. `-g` turns this off. A malformed pattern
  (`[status]`, an unmatched brace) makes curl refuse the command.
- Normalisation (urlapi.c): `.` and `..` path segments are removed (unless --path-as-is),
  and bytes beyond ASCII in the path are percent-encoded (the query is sent as written).
  Percent-escapes keep the case the user wrote: curl 8.20+ upper-cases them, older curls do
  not, and a diagnosis should quote the URL as typed.

Every function is a single left-to-right scan: linear in the URL and never raising.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_SCHEME_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
# Inside [...]: a letter range, or a number range with an optional step.
_LETTER_RANGE = re.compile(r"([A-Za-z])-([A-Za-z])(?::(\d{1,9}))?\]")
_NUMBER_RANGE = re.compile(r"(\d{1,18})-(\d{1,18})(?::(\d{1,9}))?\]")
_GLOB_SPECIAL = "{}[]"


@dataclass(frozen=True)
class Glob:
    """The first URL a (possibly globbed) URL argument makes curl request.

    `expanded` says the argument was a pattern; `problem` says why curl would refuse it.
    """

    first: str
    expanded: bool = False
    problem: str | None = None


def _ipv6_literal(url: str, at: int) -> int:
    """Length of an IPv6 literal `[...]` starting at `url[at]`, or 0 (curl's peek_ipv6)."""
    close = url.find("]", at + 1, at + 64)
    if close < 0:
        return 0
    inside = url[at + 1 : close].split("%", 1)[0]
    if ":" not in inside:
        return 0
    try:
        ipaddress.IPv6Address(inside)
    except ValueError:
        return 0
    return close - at + 1


def glob_first(url: str) -> Glob:
    """Expand curl's URL glob just enough to give the first URL it requests."""
    if not any(ch in url for ch in _GLOB_SPECIAL):
        return Glob(url)
    out: list[str] = []
    expanded = False
    i = 0
    n = len(url)
    while i < n:
        ch = url[i]
        if ch == "\\" and i + 1 < n and url[i + 1] in _GLOB_SPECIAL:
            out.append(url[i + 1])  # only these four may be escaped outside a set
            i += 2
        elif ch == "[":
            skip = _ipv6_literal(url, i) or (2 if url.startswith("[]", i) else 0)
            if skip:
                out.append(url[i : i + skip])
                i += skip
                continue
            value, i, problem = _range_first(url, i + 1)
            if problem:
                return Glob(url, problem=problem)
            out.append(value)
            expanded = True
        elif ch == "{":
            value, i, problem = _set_first(url, i + 1)
            if problem:
                return Glob(url, problem=problem)
            out.append(value)
            expanded = True
        elif ch in "}]":
            return Glob(url, problem=f"unmatched '{ch}' in the URL")
        else:
            out.append(ch)
            i += 1
    return Glob("".join(out), expanded)


def _set_first(url: str, i: int) -> tuple[str, int, str | None]:
    """`{a,b,c}` from just after `{`: (first element, offset after `}`, problem)."""
    first: list[str] = []
    in_first = True
    start = i
    while i < len(url):
        ch = url[i]
        if ch == "}":
            if i == start:
                return "", i, "empty {} in the URL"
            return "".join(first), i + 1, None
        if ch in "{[":
            return "", i, "nested braces in the URL"
        if ch == "]":
            return "", i, "unexpected ']' inside {} in the URL"
        if ch == ",":
            in_first = False
            i += 1
            continue
        if ch == "\\" and i + 1 < len(url):
            i += 1  # inside a set a backslash escapes any character
            ch = url[i]
        if in_first:
            first.append(ch)
        i += 1
    return "", i, "unmatched '{' in the URL"


def _range_first(url: str, i: int) -> tuple[str, int, str | None]:
    """`[1-3]`, `[01-10:2]` or `[a-z]` from just after `[`: (first value, offset, problem)."""
    letters = _LETTER_RANGE.match(url, i)
    if letters is not None:
        low, high, step = letters.group(1), letters.group(2), letters.group(3)
        same_case = low.islower() == high.islower()
        if not same_case or low > high or step == "0":
            return "", i, "bad range in the URL (use -g to send brackets as they are)"
        return low, letters.end(), None
    numbers = _NUMBER_RANGE.match(url, i)
    if numbers is not None:
        low_text, high_text, step = numbers.group(1), numbers.group(2), numbers.group(3)
        if int(low_text) > int(high_text) or step == "0":
            return "", i, "bad range in the URL (use -g to send brackets as they are)"
        # a leading zero asks for zero-padding to the width written
        width = len(low_text) if low_text.startswith("0") else 0
        return str(int(low_text)).zfill(width), numbers.end(), None
    return "", i, "bad range in the URL (use -g to send brackets as they are)"


def normalize(url: str, path_as_is: bool) -> str:
    """The URL as curl's URL parser sends it: dot segments resolved, non-ASCII path bytes
    escaped, a numeric IPv4 host in its dotted-decimal form."""
    head = _SCHEME_AUTHORITY.match(url)
    if head is None:
        return url
    authority = _AUTHORITY.match(head.group())
    if authority is not None:
        dotted = ipv4_normalize(authority.group(2))
        if dotted is not None and dotted != authority.group(2):
            url = authority.group(1) + dotted + url[authority.end(2) :]
            head = _SCHEME_AUTHORITY.match(url)
            assert head is not None
    rest = url[head.end() :]
    cut = len(rest)
    for mark in "?#":
        at = rest.find(mark)
        if 0 <= at < cut:
            cut = at
    path, tail = rest[:cut], rest[cut:]
    if not path_as_is and "." in path:
        path = remove_dot_segments(path)
    if not path.isascii():
        path = "".join(ch if ch.isascii() else _encode_char(ch) for ch in path)
    return head.group() + path + tail


_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?)([0-9A-Fa-fxX.]+)(?=[:/?#]|$)")
_IPV4_PART = re.compile(r"0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*")


def ipv4_normalize(host: str) -> str | None:
    """curl's ipv4_normalize: a host of one to four numbers (decimal, 0-octal, 0x-hex), the
    last filling the remaining bytes, as a dotted quad (`127.1` is 127.0.0.1, `0` 0.0.0.0).
    None when the host is not such an address (curl then takes it as a name)."""
    parts = host.split(".")
    if len(parts) > 4 or len(host) > 64:
        return None
    values: list[int] = []
    for part in parts:
        if _IPV4_PART.fullmatch(part) is None:
            return None
        if part[:2] in ("0x", "0X"):
            values.append(int(part[2:] or "0", 16))
        elif part.startswith("0"):
            values.append(int(part, 8))
        else:
            values.append(int(part))
    *leading, last = values
    if any(v > 0xFF for v in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    number = last
    for index, value in enumerate(leading):
        number |= value << (24 - 8 * index)
    return ".".join(str(number >> shift & 0xFF) for shift in (24, 16, 8, 0))


def _encode_char(ch: str) -> str:
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass"))


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 on a path: `/a/./b/../c` is `/a/c`."""
    if "/." not in path and not path.startswith("."):
        return path
    segments = path.split("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    joined = "/".join(out)
    if path.startswith("/") and not joined.startswith("/"):
        joined = "/" + joined
    return joined

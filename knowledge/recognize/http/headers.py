"""Header lines in the forms people paste them, and reading a block of them.

`name: value`, `name<TAB>value` (devtools, Postman's table), Postman's old `name → value`,
HTTP/2 pseudo-headers (`:status`), folded continuation lines and elision marks (`...`).
"""

from __future__ import annotations

from knowledge.model import Header
from knowledge.recognize.http.limits import MAX_BODY, MAX_HEADERS
from knowledge.recognize.http.line_kinds import verbose_kind

# RFC 9110 §5.6.2 tchar
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Marks people leave where they cut headers out; skipped, never a header or a body.
ELISION = frozenset({"...", "…", "[...]", "(...)", "<snip>", "[snip]"})


def parse_header_line(line: str) -> Header | None:
    """`name: value` (also `name<TAB>value` and Postman's old `name → value`), else None.

    Names are kept as written and must be RFC 9110 tokens (a leading `:` is allowed for
    HTTP/2 pseudo-headers); values are stripped.
    """
    if not line or line[0] in " \t":
        return None
    start = 1 if line[0] == ":" else 0
    end = start + 130
    # The earliest separator past column 0; written out rather than looped (hot: every line).
    best = line.find(":", start, end)
    tab = line.find("\t", start, end)
    if tab > 0 and (best <= 0 or tab < best):
        best = tab
    if "→" in line:  # Postman's old separator: rare, so its search is skipped when absent
        arrow = line.find("→", start, end)
        if arrow > 0 and (best <= 0 or arrow < best):
            best = arrow
    if best <= 0:
        return None
    name = line[:best].rstrip()
    if not name or not is_token(name[start:]):
        return None
    value = line[best + 1 :].strip()
    if line[best] == ":" and value.startswith("//"):
        return None  # a URL such as https://x, not a header
    return name, value


def is_token(name: str) -> bool:
    """An RFC 9110 token of at most 128 characters (a header name as written)."""
    # issuperset walks the characters in C, not one generator step per character.
    return 0 < len(name) <= 128 and _TCHAR.issuperset(name)


def read_headers(lines: list[str], i: int, headers: list[Header], prefix: str = "") -> int:
    """Header lines from `i` up to the blank line, appended to `headers`; returns the line
    after the block.

    With a prefix (`>`/`<` of curl -v) only lines carrying it belong to the block. Without
    one, the block also ends before a body that follows with no blank line, and before a
    line that is neither header nor continuation (prose).
    """
    j = i
    n = len(lines)
    while j < n:
        raw = lines[j]
        if prefix:
            if verbose_kind(raw) != ("out" if prefix == ">" else "in"):
                return j
            line = raw[2:] if len(raw) > 1 else ""
        else:
            line = raw
        if not line.strip():
            return j + 1
        if line[0] in " \t" and headers:
            if line.strip() in ELISION:
                j += 1
                continue
            if len(headers) <= MAX_HEADERS:
                name, value = headers[-1]
                headers[-1] = (name, f"{value} {line.strip()}"[:MAX_BODY])
            j += 1
            continue
        header = parse_header_line(line.strip() if prefix else line)
        if header is None:
            if line.strip() in ELISION:
                j += 1
                continue
            return j  # body without a blank line, prose, or the next message
        if len(headers) < MAX_HEADERS:
            headers.append(header)
        j += 1
    return j

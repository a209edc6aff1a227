"""What one line is, on its own: a `curl -v` line (`*`, `>`, `<`, data, progress meter), the
start of a curl command, or any line that starts a new message and so ends the block before."""

from __future__ import annotations

import re

from knowledge.recognize.http.start_line import request_line, status_line

_DATA_LINE = re.compile(r"[{}] \[\d+ bytes data\]")
_CURL_IN_LINE = re.compile(r"(?:^|[\s`$>(])curl(?:\.exe)?[ \t]+(?=[-'\"hH$])")
_PROMPTS = ("$ ", "% ", "# ", "> ", "❯ ", "λ ", "PS> ")


def verbose_kind(line: str) -> str | None:
    """`info` (`* `), `out` (`> `), `in` (`< `), `data` (`{ [5 bytes data]`, progress) or None."""
    head = line[:2]
    if head in ("* ", "*\t") or line == "*":
        return "info"
    if head == "> " or line == ">":
        return "out"
    if head == "< " or line == "<":
        return "in"
    if head in ("{ ", "} ") and _DATA_LINE.match(line):
        return "data"
    if is_progress(line):
        return "data"
    return None


def is_progress(line: str) -> bool:
    """curl's progress meter, which lands in pastes whenever output was piped."""
    if "% Total" in line or ("Dload" in line and "Upload" in line):
        return True
    stripped = line.strip()
    return (
        len(stripped) >= 30
        and stripped[:1].isdigit()
        and ("--:--:--" in stripped or stripped.count(":") >= 6)
        and all(ch in "0123456789 .:-kMGTPB" for ch in stripped[:200])
    )


def strip_prompt(line: str) -> str:
    """The line without leading space and one shell prompt (`$ `, `PS> `, ...)."""
    stripped = line.lstrip()
    for prompt in _PROMPTS:
        if stripped.startswith(prompt):
            return stripped[len(prompt) :].lstrip()
    return stripped


def curl_start(line: str) -> int | None:
    """Column where a curl command starts on this line, or None."""
    # Every branch needs "curl" on the line: most lines are ruled out before the prompt strip.
    if "curl" not in line:
        return None
    stripped = strip_prompt(line)
    if stripped.startswith(("curl ", "curl\t", "curl.exe ")):
        return len(line) - len(stripped)
    match = _CURL_IN_LINE.search(line[:4096])
    if match is None:
        return None
    return match.start() + (0 if line[match.start() : match.start() + 4] == "curl" else 1)


def is_message_start(line: str) -> bool:
    """A line that ends whatever body or header block came before it."""
    stripped = line.strip()
    kind = verbose_kind(line)
    return (
        kind in ("info", "out", "in")
        or status_line(stripped) is not None
        or request_line(stripped) is not None
        or curl_start(line) is not None
    )

"""Mistakes of the tool, not of the API: no request left the machine as the user meant it.

Windows PowerShell's `curl` is `Invoke-WebRequest` and rejects curl's options; an unquoted `&` in a
URL ends the command in a POSIX shell, so curl never sees the rest of the query or the options
after it. These become warnings beside whatever the paste otherwise shows.
"""

from __future__ import annotations

_SCAN_LIMIT = 16_384
_POWERSHELL_ERRORS = ("cannot bind parameter", "a parameter cannot be found that matches parameter name",
                      "cannot convert the")


def tool_warnings(text: str) -> list[str]:
    """Warnings for the tool mistakes `text` shows (usually none)."""
    text = text[:_SCAN_LIMIT]
    warnings: list[str] = []
    low = text.lower()
    if "invoke-webrequest" in low and any(error in low for error in _POWERSHELL_ERRORS):
        warnings.append(
            "In Windows PowerShell `curl` is an alias of `Invoke-WebRequest`, which does not take curl's "
            "options, so no request was sent as written: run `curl.exe` with the same arguments."
        )
    if "curl" in low and "&" in text:
        found = _unquoted_url_with_ampersand(text)
        if found is not None:
            url, at = found
            head = url[:min(at, 200)]
            warnings.append(
                f"The URL `{head}&…` is not quoted, so the shell ends the command at the first `&` (and runs "
                f"it in the background): curl only gets `{head}`, without the rest of the query or any option "
                "after it. Put the URL in single quotes."
            )
    return warnings


def _unquoted_url_with_ampersand(text: str) -> tuple[str, int] | None:
    """The first curl URL written without quotes whose query holds an `&` the shell acts on, and
    where that `&` is (a word split on whitespace: a quoted URL starts with its quote and is
    skipped)."""
    continued = False
    for line in text.split("\n"):
        stripped = line.strip().lstrip("$>#% ").lstrip()
        starts = stripped.startswith(("curl ", "curl.exe "))
        if starts or continued:
            for word in stripped.split()[1 if starts else 0:]:
                if word.startswith(("http://", "https://")) and "?" in word:
                    at = _first_bare(word)
                    if at >= 0:
                        return word, at
        continued = (starts or continued) and stripped.endswith(("\\", "^", "`"))
    return None


def _first_bare(word: str) -> int:
    """Where the first `&` the shell acts on is (not escaped as `\\&`, not Slack's `&amp;`), or -1."""
    at = word.find("&", word.find("?"))
    while at >= 0:
        if word[at - 1] != "\\" and not word.startswith("&amp;", at):
            return at
        at = word.find("&", at + 1)
    return -1

"""curl options that carry credentials: `-u`/`--user`/`--proxy-user`, `--oauth2-bearer`, `--pass`,
and `user = "name:password"` lines of a curl config file (`.curlrc`, `curl -K`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.authorization import token_hit
from knowledge.secrets.model import MASK, MIN_FORM_LEN, PRIORITY_STRUCTURE, Hit, Secret
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.userinfo import userinfo_hits
from knowledge.secrets.view import View, keyword_at

_CURL_ARG_RE = re.compile(
    r"(?:'(?P<a>[^'\r\n]{1,8192})'|\"(?P<b>[^\"\r\n]{1,8192})\"|(?P<c>[^\s'\"]{1,8192}))"
)
_OPTION_GAP_RE = re.compile(r"[ \t]{1,8}|=")
_CONFIG_USER_RE = re.compile(
    r"(?:proxy-)?user[ \t]{0,8}[=:][ \t]{0,8}(?:\"(?P<a>[^\"\r\n]{1,512})\"|(?P<b>[^\s\"']{1,512}))"
)


def option_args(view: View, options: tuple[str, ...], attached: bool) -> Iterator[tuple[str, int]]:
    """Arguments of curl options (`-u x`, `--user=x`, `-ux` when `attached`), quotes removed."""
    text = view.text
    for option in options:
        consumed = 0
        for index in keyword_at(view, option):
            if index < consumed:
                continue
            pos = index + len(option)
            gap = _OPTION_GAP_RE.match(text, pos)
            if gap:
                pos = gap.end()
            elif not (attached and len(option) == 2):
                continue
            match = _CURL_ARG_RE.match(text, pos)
            if match:
                consumed = match.end()
                for group in ("a", "b", "c"):
                    if match.group(group) is not None:
                        yield match.group(group), match.start(group)
                        break


def scan_curl_user(view: View) -> Iterator[Hit]:
    """curl `-u user:password` (and --proxy-user), `--oauth2-bearer`, `--pass` (key passphrase)."""
    for value, start in option_args(view, ("-u", "--user", "--proxy-user"), True):
        user, colon, password = value.partition(":")
        if colon:
            yield from userinfo_hits(user, password, start, "curl -u")
    for value, start in option_args(view, ("--oauth2-bearer",), False):
        hit = token_hit(value, start, "Bearer token in curl --oauth2-bearer")
        if hit:
            yield hit
    for value, start in option_args(view, ("--pass",), False):
        if len(value) >= MIN_FORM_LEN and not is_placeholder(value):
            yield Hit(Secret("password", "Key passphrase in curl --pass", value, MASK),
                       start, start + len(value), PRIORITY_STRUCTURE)


def scan_curl_config_user(view: View) -> Iterator[Hit]:
    """`user = "alice:password"` at the start of a line (curl config syntax)."""
    text = view.text
    for index in keyword_at(view, "user"):
        start = index - 6 if view.low.startswith("proxy-", max(0, index - 6)) else index
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(" \t>") or start - line_start > 16:  # `> ` quotes a line
            continue
        match = _CONFIG_USER_RE.match(text, start)
        if match is None:
            continue
        group = "a" if match.group("a") is not None else "b"
        user, colon, password = match.group(group).partition(":")
        if colon and not (user.isdigit() and password.isdigit()):  # `user: 1000:1000` is uid:gid
            yield from userinfo_hits(user, password, match.start(group), "curl config")

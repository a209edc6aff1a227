"""Passwords given on command lines other than curl's: `mysql -pPASSWORD`, `sshpass -p PASSWORD`,
`redis-cli -a PASSWORD`, `docker login -p`, `sqlcmd -P`, `az login -p`, `mongosh -p`,
`keytool -storepass`, `htpasswd -b FILE USER PASSWORD`. (`--password=x` and `PGPASSWORD=x` are
names, see `named.py`.)

A command is looked at only when its name occurs in the paste; its options are read up to the
end of its logical line (shell `\\`, cmd `^` and PowerShell backtick continuations joined).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.model import MASK, MIN_FORM_LEN, PRIORITY_STRUCTURE, Hit, Secret
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.view import View, keyword_at

# Command -> options that carry a password: (option, value glued to it as in `-pSECRET`).
_MYSQL = (("-p", True),)  # `-p` alone prompts; only `-pSECRET` holds one (also mysqldump, mysqladmin)
_KEYTOOL = tuple((f"-{o}", False) for o in ("storepass", "keypass", "srcstorepass", "deststorepass",
                                            "srckeypass", "destkeypass"))
_COMMANDS: dict[str, tuple[tuple[str, bool], ...]] = {
    "mysql": _MYSQL,
    "mariadb": _MYSQL,
    "sshpass": (("-p", False),),
    "redis-cli": (("-a", False), ("--pass", False)),
    "docker login": (("-p", False), ("--password", False)),
    "podman login": (("-p", False), ("--password", False)),
    "sqlcmd": (("-P", False),),
    "az login": (("-p", False), ("--password", False)),
    "mongosh": (("-p", False), ("--password", False)),
    "mongo ": (("-p", False), ("--password", False)),
    "keytool": _KEYTOOL,
}
COMMAND_KEYWORDS = (*_COMMANDS, "htpasswd")
_LINE_MAX = 4000
_ARG_RE = re.compile(r"""'(?P<a>[^'\r\n]{1,512})'|"(?P<b>[^"\r\n]{1,512})"|(?P<c>[^\s'"]{1,512})""")
# htpasswd -b[cmBdpsi...] FILE USER PASSWORD (-n prints instead of writing: no FILE).
_HTPASSWD_RE = re.compile(
    r"htpasswd[ \t]{1,8}-[a-zA-Z]{0,6}b[a-zA-Z]{0,6}[ \t]{1,8}(?:(?!-)[^\s]{1,256}[ \t]{1,8}){1,2}"
    r"""(?:'(?P<a>[^'\r\n]{1,512})'|"(?P<b>[^"\r\n]{1,512})"|(?P<c>[^\s'"]{1,512}))"""
)
_CONTINUATIONS = ("\\", "^", "`")


def _logical_line_end(text: str, index: int) -> int:
    """End of the command line starting at `index`, continuation lines included (bounded)."""
    limit = min(len(text), index + _LINE_MAX)
    end = text.find("\n", index, limit)
    while end >= 0 and text[max(index, end - 16) : end].rstrip(" \t").endswith(_CONTINUATIONS):
        end = text.find("\n", end + 1, limit)
    return limit if end < 0 else end


def _password_hit(value: str, start: int, command: str) -> Hit | None:
    if len(value) < MIN_FORM_LEN or is_placeholder(value):
        return None
    label = f"Password on the {command.strip()} command line"
    return Hit(Secret("password", label, value, MASK), start, start + len(value), PRIORITY_STRUCTURE)


def _option_values(text: str, index: int, line_end: int, option: str, glued: bool) -> Iterator[tuple[str, int]]:
    pos = text.find(option, index, line_end)
    while pos >= 0:
        arg_at = pos + len(option)
        if not text[pos - 1].isspace():  # `-p` inside a word or another option
            pos = text.find(option, arg_at, line_end)
            continue
        if glued:
            ok = arg_at < line_end and not text[arg_at].isspace()
        else:
            ok = text.startswith((" ", "=", "\t"), arg_at)
            arg_at += 1
        match = _ARG_RE.match(text, arg_at, line_end) if ok else None
        if match:
            group = next(g for g in ("a", "b", "c") if match.group(g) is not None)
            yield match.group(group), match.start(group)
        pos = text.find(option, arg_at, line_end)


def scan_commands(view: View) -> Iterator[Hit]:
    text = view.text
    judged: set[str] = set()  # a value is judged once per paste (a repeated command repeats it)
    for command, options in _COMMANDS.items():
        if command not in view.low:
            continue
        consumed = 0  # a command line is read once, not again for each repeat of the command in it
        for index in keyword_at(view, command):
            if index < consumed:
                continue
            line_end = consumed = _logical_line_end(text, index)
            for option, glued in options:
                for value, start in _option_values(text, index, line_end, option, glued):
                    if value in judged:
                        continue
                    judged.add(value)
                    hit = _password_hit(value, start, command)
                    if hit:
                        yield hit
    if "htpasswd" in view.low:
        for index in keyword_at(view, "htpasswd"):
            match = _HTPASSWD_RE.match(text, index)
            group = next((g for g in ("a", "b", "c") if match.group(g) is not None), "") if match else ""
            if group and match.group(group) not in judged:
                judged.add(match.group(group))
                hit = _password_hit(match.group(group), match.start(group), "htpasswd")
                if hit:
                    yield hit

"""Passwords given on command lines other than curl's: `mysql -pPASSWORD`, `sshpass -p PASSWORD`,
`redis-cli -a PASSWORD`. (`--password=x` and `PGPASSWORD=x` are names, see `named.py`.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.model import MASK, MIN_FORM_LEN, PRIORITY_STRUCTURE, Hit, Secret
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.view import View, keyword_at

# Command -> the option that carries the password and whether its value is glued to it.
_COMMANDS: dict[str, tuple[str, bool]] = {
    "mysql": ("-p", True),  # also mysqldump, mysqladmin: `-p` alone prompts, `-pSECRET` does not
    "mariadb": ("-p", True),
    "sshpass": ("-p", False),
    "redis-cli": ("-a", False),
}
COMMAND_KEYWORDS = tuple(_COMMANDS)
_LINE_MAX = 2000
_ARG_RE = re.compile(r"""'(?P<a>[^'\r\n]{1,512})'|"(?P<b>[^"\r\n]{1,512})"|(?P<c>[^\s'"]{1,512})""")


def scan_commands(view: View) -> Iterator[Hit]:
    text = view.text
    for command, (option, glued) in _COMMANDS.items():
        if command not in view.low:
            continue
        for index in keyword_at(view, command):
            line_end = text.find("\n", index, index + _LINE_MAX)
            line_end = min(len(text), index + _LINE_MAX) if line_end < 0 else line_end
            pos = text.find(f" {option}", index, line_end)
            while pos >= 0:
                arg_at = pos + 1 + len(option)
                if not glued and text.startswith(" ", arg_at):
                    arg_at += 1
                elif not glued or text.startswith((" ", "\t"), arg_at):
                    pos = text.find(f" {option}", arg_at, line_end)
                    continue
                match = _ARG_RE.match(text, arg_at, line_end)
                if match:
                    group = next(g for g in ("a", "b", "c") if match.group(g) is not None)
                    value = match.group(group)
                    if len(value) >= MIN_FORM_LEN and not is_placeholder(value):
                        yield Hit(Secret("password", f"Password on the {command} command line", value, MASK),
                                  match.start(group), match.end(group), PRIORITY_STRUCTURE)
                pos = text.find(f" {option}", arg_at, line_end)

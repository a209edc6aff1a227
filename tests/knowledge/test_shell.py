"""Shell splitting: POSIX sh, Windows cmd (+ C runtime rules) and PowerShell, as each shell would."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.recognize.shell import (
    CMD,
    POSIX,
    POWERSHELL,
    crt_split,
    detect_flavour,
    split_command,
)


def words(text: str, flavour: str | None = None) -> list[str]:
    return split_command(text, flavour=flavour).words


# --- POSIX ---------------------------------------------------------------------------------


def test_posix_quotes_and_escapes() -> None:
    assert words("curl 'a b' \"c d\" e\\ f") == ["curl", "a b", "c d", "e f"]
    # in double quotes only $ ` " \ newline are escapable; other backslashes stay
    assert words(r'x "a\"b\$c\\d\e"') == ["x", 'a"b$c\\d\\e']
    # single quotes keep everything, including backslashes
    assert words(r"x 'a\nb'") == ["x", "a\\nb"]
    # adjacent quoted parts make one word; '' is an empty word
    assert words("x 'a'\"b\"c ''") == ["x", "abc", ""]
    # the shell's idiom for a quote inside single quotes
    assert words("x 'it'\\''s'") == ["x", "it's"]


def test_posix_continuations_end_at_newline() -> None:
    split = split_command("curl a \\\n  b \\\n  c\nnext line")
    assert split.words == ["curl", "a", "b", "c"]
    assert split.end == len("curl a \\\n  b \\\n  c")
    # a continuation inside a word joins the halves
    assert words("x ab\\\ncd") == ["x", "abcd"]
    # blanks after the backslash: taken as the continuation the author meant, with a note
    split = split_command("curl a \\  \n  -v")
    assert split.words == ["curl", "a", "-v"]
    assert split.notes


def test_posix_ansi_c_quoting() -> None:
    text = r"x $'a\nb\t\x41\u00e9\'q\\z\101\"'"
    assert words(text) == ["x", "a\nb\tA\u00e9'q\\zA\""]
    # unknown escapes keep their backslash, \c makes a control character
    assert words(r"x $'\q\cA'") == ["x", "\\q\x01"]
    # bash cuts the argument at a NUL
    assert words(r"x $'ab\0cd'") == ["x", "ab"]
    # an impossible code point does not raise
    assert words(r"x $'\U0011FFFF\ud800'") == ["x", "\ufffd\ufffd"]


def test_posix_operators_comments_redirections() -> None:
    assert words("curl a | jq .") == ["curl", "a"]
    assert words("curl a && echo b") == ["curl", "a"]
    assert words("curl a; echo b") == ["curl", "a"]
    assert words("curl a > out.json 2>/dev/null b") == ["curl", "a", "b"]
    assert words("curl a 2>&1 b") == ["curl", "a", "b"]
    assert words("curl a &>/dev/null") == ["curl", "a"]
    assert words("curl a # the rest is a comment") == ["curl", "a"]
    assert words("curl http://x/#frag") == ["curl", "http://x/#frag"]
    # substitutions and variables stay as written, one word
    assert words('curl -H "Authorization: Bearer $TOKEN" $(echo a b)') == [
        "curl",
        "-H",
        "Authorization: Bearer $TOKEN",
        "$(echo a b)",
    ]


def test_posix_unbalanced_quotes_take_the_rest() -> None:
    split = split_command('curl -d \'{"a": 1} https://x')
    assert split.words == ["curl", "-d", '{"a": 1} https://x']
    assert any("unbalanced" in n for n in split.notes)
    split = split_command('curl -d "abc')
    assert split.words == ["curl", "-d", "abc"]
    assert split.notes
    assert words("curl $'abc") == ["curl", "abc"]


# --- Windows cmd ---------------------------------------------------------------------------


def test_crt_split_rules() -> None:
    assert crt_split(r'a "b c" d\e "f\"g" h\\"i j"')[0] == ["a", "b c", "d\\e", 'f"g', "h\\i j"]
    assert crt_split('"a ""b"" c"')[0] == ['a "b" c']
    assert crt_split(r"a\\\"b")[0] == ['a\\"b']
    found, notes = crt_split('"abc')
    assert found == ["abc"]
    assert notes


def test_cmd_chrome_copy() -> None:
    text = (
        'curl ^"https://example.com/api?a=1^&b=2^" ^\n'
        '  -H ^"accept: application/json^" ^\n'
        '  --data-raw ^"^{^\\^"name^\\^":^\\^"x y^\\^",^\\^"pct^\\^":^\\^"50%^\\^"^}^" ^\n'
        "  --compressed\n"
        "C:\\> next command"
    )
    split = split_command(text)
    assert split.flavour == CMD
    assert split.words == [
        "curl",
        "https://example.com/api?a=1&b=2",
        "-H",
        "accept: application/json",
        "--data-raw",
        '{"name":"x y","pct":"50%"}',
        "--compressed",
    ]
    assert text[split.end] == "\n"


def test_cmd_caret_newline_newline_is_a_newline_in_the_argument() -> None:
    text = 'curl ^"https://x/^" ^\n  --data-raw ^"line1^\n\nline2^"'
    assert split_command(text).words[-1] == "line1\nline2"


def test_cmd_operators_and_plain_quotes() -> None:
    assert words('curl "a b" ^\n -v & echo x', CMD) == ["curl", "a b", "-v"]
    assert words('curl "a & b" > out.txt -v', CMD) == ["curl", "a & b", "-v"]
    assert words('curl -d "{""a"":1}" x', CMD) == ["curl", "-d", '{"a":1}', "x"]


# --- PowerShell ----------------------------------------------------------------------------


def test_powershell_quoting() -> None:
    text = 'curl.exe -H \'it\'\'s\' "a`tb`"c""d" `\n  -v plain`$x'
    split = split_command(text)
    assert split.flavour == POWERSHELL
    assert split.words == ["curl.exe", "-H", "it's", 'a\tb"c"d', "-v", "plain$x"]


def test_powershell_native_quote_handling() -> None:
    split = split_command("curl.exe -d '{\\\"a\\\":1}' `\n -v", flavour=POWERSHELL)
    assert split.words[2] == '{"a":1}'
    assert split.notes
    split = split_command("curl.exe -d '{\"a\":1}' `\n -v", flavour=POWERSHELL)
    assert split.words[2] == '{"a":1}'
    assert any("5.1" in n for n in split.notes)


def test_powershell_stop_parsing_token() -> None:
    assert words('curl.exe --% -d "{\\"a\\":1}" x', POWERSHELL) == [
        "curl.exe",
        "-d",
        '{"a":1}',
        "x",
    ]


# --- detection and bounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flavour"),
    [
        ("curl a \\\n -v", POSIX),
        ("curl a ^\n -v", CMD),
        ("curl a `\n -v", POWERSHELL),
        ('curl ^"a^"', CMD),
        ("curl 'a'", POSIX),
        ("curl.exe 'https://x' -v", POWERSHELL),
        ('curl.exe "https://x" -d "{\\"a\\":1}"', CMD),
    ],
)
def test_detect_flavour(text: str, flavour: str) -> None:
    assert detect_flavour(text) == flavour


def test_split_respects_start_and_end() -> None:
    text = "I ran `curl -v https://x` yesterday"
    start = text.index("curl")
    split = split_command(text, start, text.index("`", start))
    assert split.words == ["curl", "-v", "https://x"]


@pytest.mark.parametrize("flavour", [POSIX, CMD, POWERSHELL])
@pytest.mark.parametrize(
    "char", ["'", '"', "\\", "$'", "^", "`", "a", " ", "\x00", "^\n"], ids=repr
)
def test_hostile_runs_are_linear(flavour: str, char: str) -> None:
    text = "curl " + char * (40_000 // len(char))
    began = time.perf_counter()
    split_command(text, flavour=flavour)
    assert time.perf_counter() - began < 0.5


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab -'\"\\$^`\n\t#|&;<>(){}@=%\x00\u00a0")), max_size=60),
    st.sampled_from([POSIX, CMD, POWERSHELL, None]),
)
def test_split_never_raises(text: str, flavour: str | None) -> None:
    split = split_command(text, flavour=flavour)
    assert 0 <= split.end <= len(text)
    assert all(isinstance(word, str) for word in split.words)


def test_firefox_windows_copy_reads_as_cmd() -> None:
    # Firefox doubles a quote inside a quoted Windows argument
    line = 'curl "https://x/s" -X POST --data-raw "{""q"":""hi"",""n"":1}"'
    assert detect_flavour(line) == CMD
    assert words(line)[-1] == '{"q":"hi","n":1}'
    # an empty JSON string in sh quoting is not that
    assert detect_flavour("""curl -d '{"a":""}' https://x""") == POSIX
    assert detect_flavour('curl -d "{\\"a\\":\\"\\"}" https://x') == POSIX

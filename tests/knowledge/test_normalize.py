"""Undoing Slack's escaping and markup before anything reads the paste."""

from knowledge.normalize import MAX_CHARS, normalize, unescape_slack


def test_slack_entities_and_links_are_undone() -> None:
    text = "<@U024BE7LH> curl -H 'Accept: a&amp;b' &lt;<https://api.acme.io/v1?a=1&amp;b=2|api.acme.io/v1?a=1&amp;b=2>&gt;"
    assert normalize(text).text == " curl -H 'Accept: a&b' <https://api.acme.io/v1?a=1&b=2>"


def test_mailto_channels_and_specials() -> None:
    assert unescape_slack("<mailto:a@b.io|a@b.io> in <#C123|deploys> <!here>") == "a@b.io in #deploys "


def test_code_fences_are_stripped() -> None:
    text = "look:\n```bash\ncurl https://x.io\n```\nthanks"
    assert normalize(text).text == "look:\n\ncurl https://x.io\n\nthanks"
    assert normalize("```HTTP/1.1 500```").text == "HTTP/1.1 500"


def test_line_endings_unified_and_control_characters_kept() -> None:
    # A raw control character inside a JSON string is a fault the JSON check must still see.
    assert normalize("a\x00b\x07c\r\nd\re").text == "a\x00b\x07c\nd\ne"


def test_a_stray_nul_is_not_binary() -> None:
    assert not normalize('["a\x00a"]').binary


def test_long_paste_is_truncated_with_warning() -> None:
    result = normalize("x" * (MAX_CHARS + 10))
    assert result.truncated and len(result.text) == MAX_CHARS
    assert "only the first" in result.warnings[0]


def test_binary_is_flagged() -> None:
    result = normalize("\x00\x01\ufffd" * 1000)
    assert result.binary
    assert "binary" in result.warnings[0]

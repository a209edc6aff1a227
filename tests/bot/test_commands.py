"""bot.commands: `/apierror` text -> sub-command, anything else is a paste."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.commands import AddNote, Diagnose, DigestOff, DigestOn, Help, Top, Usage, parse


def test_subcommands() -> None:
    assert parse("") == Help() and parse("  help ") == Help()
    assert parse("top") == Top(7) and parse("top 30") == Top(30) and parse("TOP 14d") == Top(14)
    assert isinstance(parse("top 0"), Usage) and isinstance(parse("top 9999"), Usage)
    assert parse("digest off") == DigestOff()
    assert parse("digest on") == DigestOn(None, 9, 0)
    assert parse("digest on <#C0123|alerts> 17:45") == DigestOn("C0123", 17, 45)
    assert parse("digest on 8") == DigestOn(None, 8, 0)
    assert isinstance(parse("digest on #alerts"), Usage)
    assert isinstance(parse("digest on 25:00"), Usage)
    assert parse("note 503 restart the gateway") == AddNote("503", "restart the gateway")
    assert parse("note Auth.Token_Expired use refresh") == AddNote("auth.token_expired", "use refresh")
    assert isinstance(parse("note 503"), Usage) and isinstance(parse("note 99 x"), Usage)


def test_pastes_are_diagnosed_as_given() -> None:
    for text in ("429", "curl -X POST https://x.example", "top of the morning, 503 again",
                 "help me with this 401", "digest of the incident: 500"):
        assert parse(text) == Diagnose(text)


@given(st.text(max_size=2000))
def test_never_raises(text: str) -> None:
    parse(text)

"""What makes a message worth a diagnosis rather than the help reply."""

import pytest

from bot.services import has_content
from knowledge import diagnose


@pytest.mark.parametrize("text", ["hello there", "can you help?", "thanks!", "600"])
def test_chatter_gets_help(text: str) -> None:
    assert not has_content(diagnose(text))


@pytest.mark.parametrize(
    "text",
    ["getting 429s", "HTTP/1.1 502 Bad Gateway", "curl https://api.example.com/v1/me",
     '{"error": "invalid_auth"}', "my key is sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
)
def test_pastes_get_a_diagnosis(text: str) -> None:
    assert has_content(diagnose(text))

"""Slack file and snippet downloads: bot token only to Slack's hosts, size bounded, text only."""

from __future__ import annotations

from bot.paste_input import FileReader, is_text_file, strip_mention
from bot.slack_client import make_client
from tests.fakeslack import FakeSlack


def reader_for(fake: FakeSlack, max_bytes: int = 1000) -> FileReader:
    client = make_client(token=fake.bot_token, base_url=fake.api_url)
    return FileReader.for_api(client, fake.bot_token, max_bytes, fake.api_url)


def test_download_is_bounded_and_binary_safe(fake: FakeSlack) -> None:
    file = fake.add_file(b"HTTP/1.1 404 Not Found\r\n\r\n" + b"\x00\xff" * 400_000, name="dump.txt")
    text = reader_for(fake, max_bytes=1000).read(file)
    assert text is not None and text.startswith("HTTP/1.1 404")
    assert len(text.encode("utf-8", "replace")) <= 3 * 1000  # 1,000 bytes read, replacement chars widen
    assert len(text) <= 1000
    (download,) = fake.calls_to("file")
    assert download.token == fake.bot_token


def test_files_elsewhere_never_get_the_token(fake: FakeSlack) -> None:
    reader = reader_for(fake)
    evil = {"id": "F1", "name": "x.txt", "filetype": "text", "mimetype": "text/plain",
            "url_private": "https://attacker.example/steal.txt"}
    assert reader.read(evil) is None
    assert fake.calls_to("file") == []


def test_images_are_not_read_and_file_info_is_fetched_when_needed(fake: FakeSlack) -> None:
    reader = reader_for(fake)
    png = fake.add_file(b"\x89PNG....", name="shot.png", filetype="png", mimetype="image/png")
    assert reader.read(png) is None
    snippet = fake.add_file(b"503 from the gateway", name="s.txt")
    assert reader.read({"id": snippet["id"], "file_access": "check_file_info"}) == "503 from the gateway"
    assert fake.calls_to("files.info")


def test_text_file_detection() -> None:
    assert is_text_file({"mode": "snippet", "filetype": "png"})
    assert is_text_file({"filetype": "json"})
    assert is_text_file({"mimetype": "text/x-log"})
    assert not is_text_file({"filetype": "pdf", "mimetype": "application/pdf"})


def test_strip_mention_removes_only_the_bot() -> None:
    assert strip_mention("<@UBOT> 429", "UBOT") == "429"
    assert strip_mention("<@UBOT|apierror> and <@U2> 403", "UBOT") == "and <@U2> 403"
    assert strip_mention("<@UBOT2> hi <@UBOT", "UBOT") == "<@UBOT2> hi <@UBOT"
    assert strip_mention("<@UBOT" * 20_000, "UBOT") == "<@UBOT" * 20_000
    assert strip_mention("  x ", None) == "x"

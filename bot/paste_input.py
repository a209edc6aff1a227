"""What a Slack message gives the engine: its text (bot mention removed), attached text files
and snippets (downloaded with the bot token, bounded), and for thread follow-ups the earlier paste.

Text is passed on as Slack sent it (escaped, with link markup): `knowledge.normalize` undoes that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from slack_sdk import WebClient

log = logging.getLogger(__name__)

MAX_FILES = 3
# Thread follow-ups read at most this many earlier messages, newest first.
MAX_THREAD_MESSAGES = 5
MAX_TEXT_CHARS = 1_000_000
DOWNLOAD_TIMEOUT = 10.0
TEXT_FILETYPES = frozenset({
    "text", "json", "javascript", "typescript", "python", "shell", "bash", "xml", "html", "yaml",
    "markdown", "csv", "diff", "http", "go", "java", "ruby", "php", "rust", "kotlin", "swift",
    "csharp", "c", "cpp", "sql", "toml", "ini", "properties", "plain", "post",
})
TEXT_MIMETYPES = ("text/", "application/json", "application/xml", "application/x-sh",
                  "application/javascript", "application/x-yaml", "application/yaml")


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Remove `<@UBOT>` / `<@UBOT|name>` mentions of the bot; other mentions stay (plain scanning)."""
    if not bot_user_id:
        return text.strip()
    out: list[str] = []
    start = 0
    marker = f"<@{bot_user_id}"
    while True:
        at = text.find(marker, start)
        if at == -1:
            break
        end = text.find(">", at + len(marker))
        follower = text[at + len(marker): at + len(marker) + 1]
        if end == -1 or follower not in (">", "|"):
            # Not our mention after all (`<@UBOT2>` or unterminated): keep it and move on.
            out.append(text[start: at + len(marker)])
            start = at + len(marker)
            continue
        out.append(text[start:at])
        start = end + 1
    out.append(text[start:])
    return "".join(out).strip()


def is_text_file(file: dict[str, Any]) -> bool:
    """Snippets and text-like uploads; images, PDFs and binaries are not read."""
    if file.get("mode") in ("snippet", "post"):
        return True
    if str(file.get("filetype", "")).lower() in TEXT_FILETYPES:
        return True
    mimetype = str(file.get("mimetype", "")).lower()
    return mimetype.startswith(TEXT_MIMETYPES)


@dataclass
class FileReader:
    """Downloads Slack files by their private URL with the bot token, at most `max_bytes` each.

    Only hosts in `allowed_hosts` get the token (files.slack.com, and the configured API host so
    the fake Slack works in tests): a crafted URL must never receive our credential.
    """

    client: WebClient
    token: str | None
    max_bytes: int
    allowed_hosts: frozenset[str]

    @classmethod
    def for_api(cls, client: WebClient, token: str | None, max_bytes: int, api_url: str) -> FileReader:
        hosts = {"files.slack.com", "slack-files.com"}
        api_host = urlsplit(api_url).hostname
        if api_host:
            hosts.add(api_host.lower())
        return cls(client, token, max_bytes, frozenset(hosts))

    def read_all(self, files: list[dict[str, Any]] | None) -> list[str]:
        texts = []
        for file in (files or [])[:MAX_FILES]:
            if isinstance(file, dict):
                text = self.read(file)
                if text:
                    texts.append(text)
        return texts

    def read(self, file: dict[str, Any]) -> str | None:
        """The file's text, or None when it is not text, too odd or not reachable."""
        try:
            if file.get("file_access") == "check_file_info" or not file.get("url_private"):
                info = self.client.files_info(file=str(file.get("id", "")))
                file = info.get("file") or {}
            if not is_text_file(file):
                return None
            url = str(file.get("url_private_download") or file.get("url_private") or "")
            return self._download(url)
        except Exception as exc:  # a file we cannot read is skipped, never fatal
            log.info("skipped a Slack file: %s", type(exc).__name__)
            return None

    def _download(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or (parts.hostname or "").lower() not in self.allowed_hosts:
            return None
        if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost"):
            return None
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        chunks: list[bytes] = []
        size = 0
        with httpx.Client(timeout=DOWNLOAD_TIMEOUT, follow_redirects=False) as http, \
                http.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                return None
            if "text/html" in response.headers.get("content-type", "") and not url.endswith(".html"):
                return None  # Slack's sign-in page: the token was not accepted
            for chunk in response.iter_bytes():
                chunks.append(chunk[: self.max_bytes - size])
                size += len(chunks[-1])
                if size >= self.max_bytes:
                    break
        return b"".join(chunks).decode("utf-8", errors="replace")


@dataclass(frozen=True)
class ThreadContext:
    """What a thread holds before the current message."""

    earlier_paste: str  # earlier non-bot messages and their files, oldest first ("" if none)
    bot_answered: bool


def read_thread(client: WebClient, reader: FileReader, channel: str, thread_ts: str, before_ts: str,
                bot_user_id: str | None, bot_id: str | None) -> ThreadContext:
    """Earlier pastes in a thread (the root and up to a few replies) and whether we answered."""
    response = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
    messages = [m for m in response.get("messages") or [] if isinstance(m, dict)]
    answered = any(_is_bot(m, bot_user_id, bot_id) for m in messages)
    before = _ts({"ts": before_ts})
    earlier = [m for m in messages if _ts(m) < before and not _is_bot(m, bot_user_id, bot_id)]
    parts: list[str] = []
    size = 0
    for message in earlier[-MAX_THREAD_MESSAGES:]:
        pieces = [strip_mention(str(message.get("text") or ""), bot_user_id),
                  *reader.read_all(message.get("files"))]
        for piece in pieces:
            if piece and size < MAX_TEXT_CHARS:
                parts.append(piece[: MAX_TEXT_CHARS - size])
                size += len(parts[-1])
    return ThreadContext("\n\n".join(parts), answered)


def _is_bot(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    return bool((bot_id and message.get("bot_id") == bot_id)
                or (bot_user_id and message.get("user") == bot_user_id))


def _ts(message: dict[str, Any]) -> float:
    try:
        return float(message.get("ts") or 0)
    except (TypeError, ValueError):
        return 0.0

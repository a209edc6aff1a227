"""A fake Slack Web API on 127.0.0.1 that records every call, for tests and the load bench.

Point `SLACK_API_URL` (or `WebClient(base_url=...)`) at `fake.api_url` and every Web API call the
app makes lands in `fake.calls`. It also serves:

- `fake.response_url()`: a URL like the `response_url` of slash commands and interactions; what the
  app POSTs there is recorded as a call with method ``"response_url"``.
- `fake.add_file(...)`: a file object whose `url_private` is served here, only with the bot token
  (as Slack does), so file and snippet downloads can be tested.
- `fake.fail(method, status=429, retry_after=1, times=1)`: the next `times` calls of `method` get
  that status (429 carries `Retry-After` and `{"ok": false, "error": "ratelimited"}`).
- `fake.add_message(...)`: messages `conversations.replies` / `conversations.history` return;
  messages the app posts with `chat.postMessage` are added too.
- `fake.socket_url`: set it (e.g. to `FakeSocketMode.new_url` from tests/fakesocket.py) and
  `apps.connections.open` answers `{"ok": true, "url": fake.socket_url()}` for `fake.app_token`,
  as Slack does for Socket Mode apps.

Usage::

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.calls_to("chat.postMessage")[0].params["text"] == "hi"

Run it on its own for the bench: ``python tests/fakeslack.py --port 8900``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# A bound on what a test can make the fake read, so a runaway client cannot exhaust memory.
MAX_BODY_BYTES = 16 * 1024 * 1024

Responder = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    """One request the fake received: Web API method (or "response_url" / "file"), its params."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float  # time.monotonic() when it arrived
    path: str
    headers: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    remaining: int


@dataclass
class _File:
    id: str
    name: str
    content: bytes
    filetype: str
    mimetype: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that stop reading early (bounded downloads) reset the connection: not an error.
        return


class FakeSlack:
    """The fake server. Thread-safe; start with `start()` or use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, bot_token: str = "xoxb-test-token",
                 team_id: str = "T0001", bot_user_id: str = "UBOT", bot_id: str = "BBOT",
                 app_token: str = "xapp-1-A0APP-test-token") -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        # Where apps.connections.open sends Socket Mode clients; None: Socket Mode not set up.
        self.socket_url: Callable[[], str] | None = None
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self.responders: dict[str, Responder] = {}
        self.messages: list[dict[str, Any]] = []
        self._files: dict[str, _File] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._server = _Server((host, port), _make_handler(self))
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What `SLACK_API_URL` should be set to (ends with a slash, as slack-sdk needs)."""
        return self.base_url + "/api/"

    def start(self) -> FakeSlack:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakeslack",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- set-up helpers for tests ----------------------------------------------------------
    def fail(self, method: str, status: int = 429, retry_after: int | None = 1, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with `status` (429: with Retry-After)."""
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(status, retry_after, times))

    def respond(self, method: str, responder: Responder) -> None:
        """Answer `method` with `responder(params)` instead of the built-in answer."""
        with self._lock:
            self.responders[method] = responder

    def response_url(self, name: str | None = None) -> str:
        return f"{self.base_url}/response/{name or next(self._ids)}"

    def add_file(self, content: bytes, name: str = "paste.txt", filetype: str = "text",
                 mimetype: str = "text/plain") -> dict[str, Any]:
        """Host a file; returns the file object as it appears in a message event's `files`."""
        file_id = f"F{next(self._ids):06d}"
        with self._lock:
            self._files[file_id] = _File(file_id, name, content, filetype, mimetype)
        return self._file_object(self._files[file_id])

    def add_message(self, channel: str, text: str, ts: str | None = None, thread_ts: str | None = None,
                    user: str = "U0USER", **extra: Any) -> dict[str, Any]:
        """A message conversations.replies / history will return; returns it (with its ts)."""
        with self._lock:
            message = {"type": "message", "channel": channel, "user": user, "text": text,
                       "ts": ts or self._next_ts(), **extra}
            if thread_ts:
                message["thread_ts"] = thread_ts
            self.messages.append(message)
        return message

    # -- assertions helpers ----------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `method` was called at least `count` times; returns those calls.

        Raises AssertionError after `timeout` seconds, showing what did arrive.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [call for call in self.calls if call.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({call.method for call in self.calls})
                    raise AssertionError(
                        f"expected {count} call(s) to {method}, got {len(found)}; saw {seen}")
                self._changed.wait(left)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self._failures.clear()
            self.responders.clear()

    # -- internals -------------------------------------------------------------------------
    def _next_ts(self) -> str:
        # Slack ts strings: seconds.microseconds; unique and increasing is what matters.
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _file_object(self, file: _File) -> dict[str, Any]:
        return {
            "id": file.id, "name": file.name, "title": file.name, "filetype": file.filetype,
            "mimetype": file.mimetype, "size": len(file.content), "mode": "snippet"
            if file.filetype == "text" else "hosted",
            "url_private": f"{self.base_url}/files-pri/{self.team_id}-{file.id}/{file.name}",
            "url_private_download":
                f"{self.base_url}/files-pri/{self.team_id}-{file.id}/download/{file.name}",
        }

    def _record(self, call: Call) -> _Failure | None:
        with self._changed:
            failure = None
            pending = self._failures.get(call.method)
            if pending:
                failure = pending[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    pending.pop(0)
            self.calls.append(call)
            self._changed.notify_all()
            return failure

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            responder = self.responders.get(method)
        if responder is not None:
            return responder(params)
        return self._builtin(method, params)

    def _builtin(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if method == "apps.connections.open":
            if self.socket_url is None:
                return {"ok": False, "error": "internal_error"}
            return {"ok": True, "url": self.socket_url()}
        if method == "auth.test":
            return {"ok": True, "url": "https://example.slack.com/", "team": "Example",
                    "user": "apierror", "team_id": self.team_id, "user_id": self.bot_user_id,
                    "bot_id": self.bot_id}
        if method == "chat.postMessage":
            with self._lock:
                ts = self._next_ts()
                message = {"type": "message", "channel": channel, "user": self.bot_user_id,
                           "bot_id": self.bot_id, "text": params.get("text", ""), "ts": ts,
                           "blocks": params.get("blocks", [])}
                if params.get("thread_ts"):
                    message["thread_ts"] = params["thread_ts"]
                self.messages.append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts"),
                    "text": params.get("text", "")}
        if method == "chat.postEphemeral":
            with self._lock:
                ts = self._next_ts()
            return {"ok": True, "message_ts": ts}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            view = params.get("view")
            if isinstance(view, str):
                view = _loads(view)
            return {"ok": True, "view": {"id": f"V{next(self._ids):06d}",
                                         **(view if isinstance(view, dict) else {})}}
        if method == "conversations.replies":
            ts = str(params.get("ts", ""))
            with self._lock:
                found = [m for m in self.messages if m.get("channel") == channel
                         and (m.get("ts") == ts or m.get("thread_ts") == ts)]
            found.sort(key=lambda m: float(m["ts"]))
            return {"ok": True, "messages": found, "has_more": False}
        if method == "conversations.history":
            with self._lock:
                found = [m for m in self.messages if m.get("channel") == channel]
            latest, inclusive = params.get("latest"), str(params.get("inclusive", "")) in ("1", "true", "True")
            if latest:
                found = [m for m in found
                         if (m["ts"] == latest and inclusive) or float(m["ts"]) < float(latest)]
            found.sort(key=lambda m: float(m["ts"]), reverse=True)
            return {"ok": True, "messages": found[: int(params.get("limit") or 100)]}
        if method == "files.info":
            with self._lock:
                file = self._files.get(str(params.get("file", "")))
            if file is None:
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "file": self._file_object(file)}
        if method == "users.info":
            return {"ok": True, "user": {"id": params.get("user"), "tz": "UTC",
                                         "tz_offset": 0, "name": "someone"}}
        return {"ok": True}


def _loads(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Params as Slack reads them: query string, form fields or a JSON object."""
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        loaded = _loads(text)
        if isinstance(loaded, dict):
            params.update(loaded)
    elif text:
        params.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
    # Form-encoded blocks/attachments/views arrive as JSON strings; decode them for assertions.
    for key in ("blocks", "attachments", "view"):
        if isinstance(params.get(key), str):
            params[key] = _loads(params[key])
    return params


def _make_handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(min(length, MAX_BODY_BYTES)) if length > 0 else b""

        def _token(self, params: dict[str, Any]) -> str | None:
            auth = self.headers.get("Authorization") or ""
            if auth.lower().startswith("bearer "):
                return auth[7:].strip()
            token = params.get("token")
            return str(token) if token else None

        def _send(self, status: int, payload: bytes, content_type: str = "application/json",
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def _json(self, status: int, data: dict[str, Any], extra: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8", extra)

        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            self._handle(self._body())

        def _handle(self, body: bytes) -> None:
            url = urlsplit(self.path)
            params = _params(self.headers.get("Content-Type") or "", body, url.query)
            headers = {k.lower(): v for k, v in self.headers.items()}
            token = self._token(params)
            now = time.monotonic()
            if url.path.startswith("/api/"):
                method = url.path[len("/api/"):]
                failure = fake._record(Call(method, params, token, now, url.path, headers))
                if failure is not None:
                    self._fail(failure)
                    return
                # apps.connections.open takes only the app-level token, every other method the bot's.
                expected = fake.app_token if method == "apps.connections.open" else fake.bot_token
                if method != "auth.test" and token != expected:
                    error = "not_allowed_token_type" if token in (fake.bot_token, fake.app_token) \
                        else "invalid_auth"
                    self._json(200, {"ok": False, "error": error})
                    return
                self._json(200, fake._answer(method, params))
            elif url.path.startswith("/response/"):
                failure = fake._record(Call("response_url", params, token, now, url.path, headers))
                if failure is not None:
                    self._fail(failure)
                    return
                self._send(200, b"ok", "text/plain")
            elif url.path.startswith("/files-pri/"):
                self._file(url.path, token, now, headers)
            else:
                self._send(404, b"not found", "text/plain")

        def _fail(self, failure: _Failure) -> None:
            if failure.status == 429:
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                self._json(429, {"ok": False, "error": "ratelimited"}, extra)
            else:
                self._send(failure.status, b"<html>upstream error</html>", "text/html")

        def _file(self, path: str, token: str | None, now: float, headers: dict[str, str]) -> None:
            # /files-pri/<team>-<file id>/[download/]<name>
            part = path[len("/files-pri/"):].split("/", 1)[0]
            file_id = part.split("-", 1)[-1]
            fake._record(Call("file", {"file": file_id}, token, now, path, headers))
            with fake._lock:
                file = fake._files.get(file_id)
            if token != fake.bot_token or file is None:
                # Slack answers an HTML login page, not 401, for unauthenticated downloads.
                self._send(200, b"<!DOCTYPE html><html>sign in</html>", "text/html")
                return
            self._send(200, file.content, file.mimetype)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="a fake Slack Web API on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--token", default="xoxb-test-token")
    args = parser.parse_args()
    fake = FakeSlack(port=args.port, bot_token=args.token)
    print(f"fake Slack Web API at {fake.api_url}", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()

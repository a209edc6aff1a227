"""`apierror serve`: one port with `POST /slack/events` and `GET /healthz`, or Socket Mode.

HTTP mode runs Bolt's WSGI adapter under the standard library's threaded WSGI server: no extra
dependency, one thread per request, and Bolt acks before the work so requests stay short.
With SLACK_APP_TOKEN set, events arrive over Socket Mode (slack_bolt's builtin handler) and the
port still serves /healthz for probes. The digest runs in-process once a minute.
"""

from __future__ import annotations

import io
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import slack_request
from bot.app import create_app
from bot.config import Settings
from bot.services import Services
from bot.slack_client import make_client

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.memory import Memory

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Liveness only (the process serves HTTP): a database outage must not make Kubernetes restart
# pods that can still answer without team memory. /healthz (app and database) is for readiness.
LIVE_PATH = "/livez"
# Slack's payloads are a few KB; anything far larger is not Slack.
MAX_REQUEST_BYTES = 1024 * 1024
DIGEST_EVERY_SECONDS = 60

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Runtime:
    """Everything one running app holds; built by `build`, closed by `close`."""

    settings: Settings
    client: WebClient
    memory: Memory | None
    services: Services
    app: App
    _stop: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        self._stop.set()
        self.services.close()
        if self.memory is not None:
            self.memory.close()


def open_memory(database_url: str) -> Memory | None:
    """Team memory, schema brought up to date; still returned (to recover later) if the database
    is down now, and None only when storage cannot be used at all."""
    try:
        from bot.memory import Memory
    except Exception as exc:
        log.warning("team memory unavailable: %s", exc)
        return None
    try:
        return Memory(database_url, create=True, repair_schema=True)
    except Exception as exc:
        log.warning("database not ready (%s); answering without team memory until it is", exc)
    try:
        return Memory(database_url, repair_schema=True)
    except Exception as exc:
        log.warning("team memory unavailable: %s", exc)
        return None


def build(settings: Settings, memory: Memory | None = None, *, use_memory: bool = True,
          verify_token: bool = True) -> Runtime:
    """Wire settings -> client -> memory -> services -> Bolt app."""
    client = make_client(settings=settings)
    if memory is None and use_memory:
        memory = open_memory(settings.database_url)
    services = Services(settings, client, memory)
    app = create_app(services, verify_token=verify_token)
    return Runtime(settings, client, memory, services, app)


def make_wsgi(runtime: Runtime, events: bool = True) -> WSGIApp:
    """The one WSGI app: /healthz and /livez always, /slack/events in HTTP mode.

    Requests to /slack/events pass the gate in bot/slack_request.py first: unsigned or stale
    ones get 401 before anything is parsed, malformed ones 400, so Bolt only sees what Slack
    sends. Known paths answer 405 (with Allow) to other methods; HEAD gets headers only.
    """
    bolt = SlackRequestHandler(runtime.app, path=EVENTS_PATH) if events else None
    secret = runtime.settings.signing_secret
    routes = {HEALTH_PATH: ("GET", "HEAD"), LIVE_PATH: ("GET", "HEAD")}
    if bolt is not None:
        routes[EVENTS_PATH] = ("POST",)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or ""
        method = (environ.get("REQUEST_METHOD") or "").upper()
        allowed = routes.get(path)
        if allowed is None:
            return _plain(start_response, "404 Not Found", b"not found", method)
        if method not in allowed:
            return _plain(start_response, "405 Method Not Allowed", b"method not allowed", method,
                          [("Allow", ", ".join(allowed))])
        if path == HEALTH_PATH:
            healthy = runtime.services.healthy()
            body = json.dumps({"ok": healthy, "database": healthy}).encode()
            return _send(start_response, "200 OK" if healthy else "503 Service Unavailable",
                         "application/json", body, method)
        if path == LIVE_PATH:
            return _plain(start_response, "200 OK", b"ok", method)
        return _slack_events(environ, start_response, bolt, secret)

    return application


def _slack_events(environ: dict[str, Any], start_response: Callable[..., Any],
                  bolt: SlackRequestHandler | None, secret: str | None) -> Iterable[bytes]:
    raw_length = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not raw_length.isdigit():
        return _json(start_response, "400 Bad Request", {"error": "bad content length"})
    length = int(raw_length)
    if length > MAX_REQUEST_BYTES:
        return _json(start_response, "413 Payload Too Large", {"error": "too large"})
    stream = environ.get("wsgi.input")
    body = stream.read(length) if stream is not None and length else b""
    headers = {key: environ.get(f"HTTP_{key}") for key in
               ("X_SLACK_REQUEST_TIMESTAMP", "X_SLACK_SIGNATURE")}
    if not slack_request.signature_ok(secret, body, headers["X_SLACK_REQUEST_TIMESTAMP"],
                                      headers["X_SLACK_SIGNATURE"]):
        if slack_request.is_ssl_check(body):
            # Slack's certificate check of a slash command URL; nothing runs (as in Bolt).
            return _send(start_response, "200 OK", "text/plain; charset=utf-8", b"")
        log.info("refused a request with a missing, wrong or stale Slack signature")
        return _json(start_response, "401 Unauthorized", {"error": "invalid request"})
    try:
        payload = slack_request.validate(body, environ.get("CONTENT_TYPE"))
    except slack_request.BadRequest as exc:
        log.info("refused a signed but malformed request: %s", exc)
        return _json(start_response, "400 Bad Request", {"error": "bad request"})
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    assert bolt is not None
    try:
        response = bolt.dispatch(WsgiHttpRequest(environ))
    except Exception as exc:  # a payload shape the gate did not foresee: still not a 500
        log.warning("could not dispatch a Slack request: %s: %s", type(exc).__name__, exc)
        return _json(start_response, "400 Bad Request", {"error": "bad request"})
    if response.status == 500:
        # Our listeners ack before any work, so a 500 here is Bolt failing on the payload.
        return _json(start_response, "400 Bad Request", {"error": "bad request"})
    if response.status == 404 and payload.get("type") == "event_callback":
        # An event nobody listens to: acknowledge it, or Slack retries it and counts failures.
        return _send(start_response, "200 OK", "text/plain; charset=utf-8", b"")
    wsgi = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
    start_response(wsgi.status, wsgi.get_headers())
    return wsgi.get_body()


def _send(start_response: Callable[..., Any], status: str, content_type: str, body: bytes,
          method: str = "GET", extra: list[tuple[str, str]] | None = None) -> Iterable[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                            *(extra or [])])
    return [b""] if method == "HEAD" else [body]


def _plain(start_response: Callable[..., Any], status: str, body: bytes, method: str = "GET",
           extra: list[tuple[str, str]] | None = None) -> Iterable[bytes]:
    return _send(start_response, status, "text/plain; charset=utf-8", body, method, extra)


def _json(start_response: Callable[..., Any], status: str, data: dict[str, Any]) -> Iterable[bytes]:
    return _send(start_response, status, "application/json", json.dumps(data).encode())


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # Bursts of events arrive together; the default backlog of 5 refuses connections.
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


@dataclass
class HttpServer:
    """A running server; `port` is the real port when 0 was asked for."""

    server: WSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_http(runtime: Runtime, host: str, port: int, events: bool = True) -> HttpServer:
    """Serve in a background thread (tests and Socket Mode's health port)."""
    server = make_server(host, port, make_wsgi(runtime, events), server_class=_ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="http", daemon=True)
    thread.start()
    return HttpServer(server, thread)


def start_digest_loop(runtime: Runtime, every: float = DIGEST_EVERY_SECONDS) -> threading.Thread:
    """Post due digests once a minute (bot/digest.py claims each day's digest, so several
    processes doing this is safe)."""

    def loop() -> None:
        while not runtime._stop.wait(every):
            if runtime.memory is None:
                continue
            try:
                from bot.digest import run_due

                run_due(runtime.memory, runtime.client, datetime.now(UTC))
            except ImportError:
                return
            except Exception as exc:
                log.warning("digest run failed: %s: %s", type(exc).__name__, exc)

    thread = threading.Thread(target=loop, name="digest", daemon=True)
    thread.start()
    return thread


# slack_sdk's builtin frame reader recurses once per socket read: at its default 1 KB reads a
# frame over ~1 MB hits Python's recursion limit and the envelope is lost. Reads of up to 64 KB
# (one 16 KB TLS record at least) keep frames of several MB far from it, in fewer system calls.
SOCKET_RECEIVE_BYTES = 64 * 1024


class SocketModeError(Exception):
    """Socket Mode could not start; the message is one line, without tokens or ticket URLs."""


# What apps.connections.open's errors mean for whoever set SLACK_APP_TOKEN.
_OPEN_ERRORS = {
    "invalid_auth": "SLACK_APP_TOKEN was rejected (invalid_auth)",
    "not_authed": "SLACK_APP_TOKEN was rejected (not_authed)",
    "token_revoked": "SLACK_APP_TOKEN was revoked (token_revoked)",
    "not_allowed_token_type": "SLACK_APP_TOKEN must be an app-level token (xapp-...) with "
                              "connections:write (not_allowed_token_type)",
}


def start_socket_mode(runtime: Runtime, app_token: str) -> SocketModeHandler:
    """Open the Socket Mode websocket; raises SocketModeError when it cannot.

    slack_sdk's builtin client raises only when apps.connections.open fails: a refused or
    failed websocket handshake is logged and left to its background reconnects. At startup
    that is a configuration problem (egress to Slack blocked, wrong SLACK_API_URL), so it
    fails here instead of logging "connected" and serving nothing.
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(runtime.app, app_token,
                                web_client=make_client(token=app_token, settings=runtime.settings),
                                receive_buffer_size=SOCKET_RECEIVE_BYTES)
    try:
        handler.connect()
    except SlackApiError as exc:
        handler.close()
        error = str(exc.response.get("error") or "unknown_error")
        raise SocketModeError(_OPEN_ERRORS.get(error, f"apps.connections.open failed ({error})")) from exc
    except Exception as exc:
        handler.close()
        # Exception texts can run over lines (SlackApiError's does); one line for the operator.
        detail = (str(exc).splitlines() or [""])[0][:200]
        raise SocketModeError(f"{type(exc).__name__}: {detail}") from exc
    if not handler.client.is_connected():
        host = urlsplit(handler.client.wss_uri or "").hostname
        handler.close()
        if not host:  # a proxy or a fake answering ok without a URL
            raise SocketModeError("apps.connections.open answered without a websocket URL")
        raise SocketModeError(f"the websocket at {host} did not open (see the log above)")
    return handler


def run(host: str, port: int) -> int:
    """Run until SIGINT/SIGTERM. Returns the exit status (2: missing configuration)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
    except ValueError as exc:  # a malformed number in the environment: say which
        sys.stderr.write(f"apierror: {exc}\n")
        return 2
    socket_mode = settings.app_token is not None
    missing = [name for name, value in (("SLACK_BOT_TOKEN", settings.bot_token),
                                        ("SLACK_SIGNING_SECRET", settings.signing_secret or socket_mode))
               if not value]
    if missing:
        sys.stderr.write(f"apierror: serve needs {', '.join(missing)} in the environment\n")
        return 2
    runtime = build(settings)
    http = start_http(runtime, host, port, events=not socket_mode)
    start_digest_loop(runtime)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    socket_handler = None
    if settings.app_token is not None:
        try:
            socket_handler = start_socket_mode(runtime, settings.app_token)
        except SocketModeError as exc:
            sys.stderr.write(f"apierror: Socket Mode could not connect: {exc}\n")
            http.close()
            runtime.close()
            return 1
        log.info("Socket Mode connected; /healthz on %s:%d", host, http.port)
    else:
        log.info("listening on http://%s:%d%s", host, http.port, EVENTS_PATH)
    try:
        while not stopped.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if socket_handler is not None:
            socket_handler.close()
        http.close()
        runtime.close()
    return 0

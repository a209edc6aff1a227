"""A fake Slack Socket Mode endpoint on 127.0.0.1: a minimal RFC 6455 websocket server, stdlib only.

Slack's Socket Mode works like this: the app calls `apps.connections.open` with its app-level
token and gets a `wss://.../link/?ticket=...&app_id=...` URL, opens a websocket there, receives
`{"type": "hello", ...}`, then gets envelopes

    {"envelope_id": "...", "type": "events_api" | "slash_commands" | "interactive",
     "payload": {...}, "accepts_response_payload": bool, "retry_attempt": 0, "retry_reason": ""}

and must answer each with `{"envelope_id": "..."}` (plus `"payload"` when it accepts one) within
3 seconds. Slack may also send `{"type": "disconnect", "reason": "refresh_requested", ...}`, after
which the app opens a new connection.

This server plays that part: `fake.new_url()` issues a ws:// URL with a fresh ticket (hand it out
from the fake Web API's `apps.connections.open`), handshakes only for tickets it issued, sends
hello, pushes the envelopes a test asks for and records the acks. slack_sdk's builtin client speaks
plain TCP to any port but 443 (see `_establish_new_socket_connection`), so no TLS is needed here.

Protocol details kept from RFC 6455: the Sec-WebSocket-Accept digest (4.2.2), client frames must be
masked and are refused with close code 1002 otherwise (5.1), control frames are at most 125 bytes
and never fragmented (5.5), fragmented text messages are reassembled (5.4), pings are answered
with pongs carrying the same payload (5.5.2-3), and a close is echoed before the TCP close (5.5.1).

Usage::

    with FakeSocketMode() as sockets:
        fake_slack.socket_url = sockets.new_url
        ...  # start the app with SLACK_APP_TOKEN
        sockets.wait_for_connection()
        envelope_id = sockets.send_event(envelope_for(mention("429")))
        sockets.wait_for_ack(envelope_id)
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import secrets
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# An upgrade request is a few hundred bytes; anything longer is not a websocket client.
MAX_HANDSHAKE_BYTES = 16 * 1024
# A bound on one message from the app (acks are tiny; a response payload is a few KB).
MAX_MESSAGE_BYTES = 1024 * 1024
# How often blocked reads wake up to notice `stop()`.
POLL_SECONDS = 0.1

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_TOO_BIG = 1009


def accept_key(key: str) -> str:
    """The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key (RFC 6455 4.2.2)."""
    digest = hashlib.sha1((key.strip() + WEBSOCKET_GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def encode_frame(opcode: int, payload: bytes, mask: bytes | None = None, fin: bool = True) -> bytes:
    """One frame; servers send unmasked (`mask=None`), clients must pass a 4-byte mask."""
    first = (0x80 if fin else 0) | opcode
    mask_bit = 0x80 if mask is not None else 0
    length = len(payload)
    if length <= 125:
        header = bytes([first, mask_bit | length])
    elif length <= 0xFFFF:
        header = bytes([first, mask_bit | 126]) + struct.pack("!H", length)
    else:
        header = bytes([first, mask_bit | 127]) + struct.pack("!Q", length)
    if mask is None:
        return header + payload
    return header + mask + _unmask(payload, mask)


def _unmask(data: bytes, mask: bytes) -> bytes:
    # XOR through int arithmetic: one pass in C instead of a Python loop per byte.
    if not data:
        return b""
    repeated = (mask * (len(data) // 4 + 1))[: len(data)]
    value = int.from_bytes(data, "big") ^ int.from_bytes(repeated, "big")
    return value.to_bytes(len(data), "big")


@dataclass(frozen=True)
class Frame:
    fin: bool
    opcode: int
    masked: bool
    payload: bytes


class ProtocolError(Exception):
    """The peer broke RFC 6455; `code` is the close code to answer with."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


class _Reader:
    """Exact-length reads from a socket with a short timeout, so a stop is noticed promptly."""

    def __init__(self, sock: socket.socket, stopped: threading.Event) -> None:
        self.sock = sock
        self.stopped = stopped
        self.buffer = bytearray()

    def fill(self, wanted: int) -> bool:
        """True once `wanted` bytes are buffered; False on EOF or stop."""
        while len(self.buffer) < wanted:
            if self.stopped.is_set():
                return False
            try:
                chunk = self.sock.recv(max(4096, wanted - len(self.buffer)))
            except TimeoutError:
                continue
            except OSError:
                return False
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def take(self, count: int) -> bytes | None:
        if not self.fill(count):
            return None
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def until(self, marker: bytes, limit: int) -> bytes | None:
        """Bytes up to and including `marker`, or None past `limit` bytes, EOF or stop."""
        while True:
            end = self.buffer.find(marker)
            if end >= 0:
                return self.take(end + len(marker))
            if len(self.buffer) > limit or not self.fill(len(self.buffer) + 1):
                return None


def read_frame(reader: _Reader, max_bytes: int = MAX_MESSAGE_BYTES) -> Frame | None:
    """One frame from a client (None on EOF); raises ProtocolError for what RFC 6455 forbids."""
    head = reader.take(2)
    if head is None:
        return None
    fin, opcode = bool(head[0] & 0x80), head[0] & 0x0F
    if head[0] & 0x70:
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension")
    masked, length = bool(head[1] & 0x80), head[1] & 0x7F
    if opcode >= 0x8 and (length > 125 or not fin):
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "control frames are short and unfragmented")
    if length in (126, 127):
        extended = reader.take(2 if length == 126 else 8)
        if extended is None:
            return None
        length = struct.unpack("!H" if len(extended) == 2 else "!Q", extended)[0]
    if length > max_bytes:
        raise ProtocolError(CLOSE_TOO_BIG, f"frame of {length} bytes")
    if not masked:
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "client frames must be masked")
    mask = reader.take(4)
    data = reader.take(length) if mask is not None else None
    if mask is None or data is None:
        return None
    return Frame(fin, opcode, masked, _unmask(data, mask))


@dataclass(frozen=True)
class Ack:
    """One acknowledgement the app sent: `{"envelope_id": ..., "payload"?: ...}`."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int
    at: float  # time.monotonic()


@dataclass
class Connection:
    """One accepted websocket; `closed_by_client` holds the close code the app sent, if any."""

    id: int
    sock: socket.socket
    path: str
    headers: dict[str, str]
    opened_at: float
    closed_by_client: int | None = None
    ended: threading.Event = field(default_factory=threading.Event)
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def open(self) -> bool:
        return not self.ended.is_set()

    def send(self, opcode: int, payload: bytes) -> bool:
        """False when the connection is gone (the app may have closed it meanwhile)."""
        with self.send_lock:
            try:
                self.sock.sendall(encode_frame(opcode, payload))
                return True
            except OSError:
                return False


class FakeSocketMode:
    """The fake endpoint. Thread-safe; start with `start()` or use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, app_id: str = "A0APP") -> None:
        self.app_id = app_id
        self.connections: list[Connection] = []
        self.acks: list[Ack] = []
        # Text messages from the app that are not acks (none expected; kept for assertions).
        self.other_messages: list[str] = []
        self.pongs: list[bytes] = []
        self.pings: list[bytes] = []
        self.refused_handshakes: list[str] = []
        self._tickets: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stopped = threading.Event()
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(POLL_SECONDS)
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def new_url(self) -> str:
        """A URL as `apps.connections.open` returns it, with a ticket only this server accepts."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def start(self) -> FakeSocketMode:
        self._spawn(self._accept_loop, "fakesocket-accept")
        return self

    def stop(self) -> None:
        """Close every connection (code 1001, as a server going down does) and stop listening."""
        for connection in self.open_connections():
            self.close(connection, CLOSE_GOING_AWAY, "server stopping")
        self._stopped.set()
        self._listener.close()
        for thread in list(self._threads):
            thread.join(timeout=2)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests send ---------------------------------------------------------------------
    def send(self, message: dict[str, Any], connection: Connection | None = None) -> None:
        """Send one JSON text message on `connection` (default: the newest open one)."""
        target = connection or self.current()
        if not target.send(OP_TEXT, json.dumps(message).encode("utf-8")):
            raise AssertionError(f"connection {target.id} is closed")

    def send_envelope(self, kind: str, payload: dict[str, Any], *, envelope_id: str | None = None,
                      accepts_response_payload: bool = False, retry_attempt: int | None = None,
                      retry_reason: str | None = None, connection: Connection | None = None) -> str:
        """Send an envelope of `kind`; returns its envelope_id (new unless given, for redelivery)."""
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id or str(uuid.uuid4()),
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason or ""
        self.send(envelope, connection)
        return str(envelope["envelope_id"])

    def send_event(self, payload: dict[str, Any], *, envelope_id: str | None = None,
                   retry_attempt: int = 0, retry_reason: str = "",
                   connection: Connection | None = None) -> str:
        """An Events API callback (`payload` is the `event_callback` body Slack would POST)."""
        return self.send_envelope("events_api", payload, envelope_id=envelope_id,
                                  accepts_response_payload=False, retry_attempt=retry_attempt,
                                  retry_reason=retry_reason, connection=connection)

    def send_slash_command(self, payload: dict[str, Any], *, envelope_id: str | None = None,
                           connection: Connection | None = None) -> str:
        """A slash command (`payload` is the form Slack would POST, as a JSON object)."""
        return self.send_envelope("slash_commands", payload, envelope_id=envelope_id,
                                  accepts_response_payload=True, connection=connection)

    def send_interactive(self, payload: dict[str, Any], *, envelope_id: str | None = None,
                         connection: Connection | None = None) -> str:
        """An interaction; only the kinds that can answer in the ack accept a response payload."""
        accepts = payload.get("type") in ("view_submission", "block_suggestion")
        return self.send_envelope("interactive", payload, envelope_id=envelope_id,
                                  accepts_response_payload=accepts, connection=connection)

    def send_disconnect(self, reason: str = "refresh_requested",
                        connection: Connection | None = None) -> None:
        """Ask the app to move to a new connection, as Slack does every few hours."""
        self.send({"type": "disconnect", "reason": reason,
                   "debug_info": {"host": "applink-fake"}}, connection)

    def ping(self, payload: bytes = b"", connection: Connection | None = None) -> None:
        (connection or self.current()).send(OP_PING, payload[:125])

    def close(self, connection: Connection, code: int = CLOSE_NORMAL, reason: str = "") -> None:
        """Server-initiated close: close frame, then the socket once the reader thread ends."""
        connection.send(OP_CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:123])
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)

    # -- what tests wait for -----------------------------------------------------------------
    def open_connections(self) -> list[Connection]:
        with self._lock:
            return [c for c in self.connections if c.open]

    def current(self) -> Connection:
        found = self.open_connections()
        if not found:
            raise AssertionError("no open Socket Mode connection")
        return found[-1]

    def wait_for_connection(self, count: int = 1, timeout: float = 10.0) -> Connection:
        """Block until `count` connections were accepted in all; returns the newest open one."""
        self._wait(lambda: len(self.connections) >= count and any(c.open for c in self.connections),
                   timeout, lambda: f"expected {count} connection(s), got {len(self.connections)}")
        return self.current()

    def wait_for_ack(self, envelope_id: str, count: int = 1, timeout: float = 5.0) -> list[Ack]:
        """Block until `envelope_id` was acked `count` times; returns those acks."""
        def found() -> list[Ack]:
            return [a for a in self.acks if a.envelope_id == envelope_id]

        self._wait(lambda: len(found()) >= count, timeout,
                   lambda: f"expected {count} ack(s) of {envelope_id}, got {len(found())}; "
                           f"acked: {[a.envelope_id for a in self.acks]}")
        with self._lock:
            return found()

    def acks_for(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return [a for a in self.acks if a.envelope_id == envelope_id]

    def wait_until_closed(self, connection: Connection, timeout: float = 10.0) -> None:
        if not connection.ended.wait(timeout):
            raise AssertionError(f"connection {connection.id} still open after {timeout} s")

    def wait_for_pong(self, payload: bytes, timeout: float = 5.0) -> None:
        self._wait(lambda: payload in self.pongs, timeout, lambda: f"no pong {payload!r}")

    def _wait(self, ready: Callable[[], bool], timeout: float, describe: Callable[[], str]) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(describe())
                self._changed.wait(min(left, POLL_SECONDS))

    # -- internals ---------------------------------------------------------------------------
    def _spawn(self, target: Callable[..., None], name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _notify(self, change: Callable[[], None]) -> None:
        with self._changed:
            change()
            self._changed.notify_all()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                sock, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, "fakesocket-conn", sock)

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(POLL_SECONDS)
        reader = _Reader(sock, self._stopped)
        connection = self._handshake(sock, reader)
        if connection is None:
            sock.close()
            return
        try:
            if connection.send(OP_TEXT, json.dumps(self._hello()).encode("utf-8")):
                self._read_loop(connection, reader)
        finally:
            try:
                sock.close()
            finally:
                self._notify(connection.ended.set)

    def _handshake(self, sock: socket.socket, reader: _Reader) -> Connection | None:
        raw = reader.until(b"\r\n\r\n", MAX_HANDSHAKE_BYTES)
        if raw is None:
            return None
        lines = raw.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        path = parts[1] if len(parts) == 3 else ""
        ticket = parse_qs(urlsplit(path).query).get("ticket", [""])[0]
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # Slack's tickets are single-use
        problem = None
        if parts[0] != "GET" or not path.startswith("/link/"):
            problem = "404 Not Found"
        elif "websocket" not in headers.get("upgrade", "").lower() \
                or "upgrade" not in headers.get("connection", "").lower() \
                or headers.get("sec-websocket-version") != "13" or not headers.get("sec-websocket-key"):
            problem = "400 Bad Request"
        elif not known:
            problem = "401 Unauthorized"
        if problem is not None:
            self._notify(lambda: self.refused_handshakes.append(f"{problem}: {path}"))
            with contextlib.suppress(OSError):
                sock.sendall(f"HTTP/1.1 {problem}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                             .encode("ascii"))
            return None
        try:
            sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept_key(headers['sec-websocket-key'])}\r\n\r\n")
                         .encode("ascii"))
        except OSError:
            return None
        connection = Connection(next(self._ids), sock, path, headers, time.monotonic())
        self._notify(lambda: self.connections.append(connection))
        return connection

    def _hello(self) -> dict[str, Any]:
        return {"type": "hello", "num_connections": len(self.open_connections()),
                "debug_info": {"host": "applink-fake", "build_number": 1,
                               "approximate_connection_time": 18060},
                "connection_info": {"app_id": self.app_id}}

    def _read_loop(self, connection: Connection, reader: _Reader) -> None:
        message = bytearray()
        message_opcode: int | None = None
        while True:
            try:
                frame = read_frame(reader)
            except ProtocolError as exc:
                self.close(connection, exc.code, str(exc))
                return
            if frame is None:
                return
            if frame.opcode == OP_PING:
                connection.send(OP_PONG, frame.payload)
                self._notify(lambda f=frame: self.pings.append(f.payload))
            elif frame.opcode == OP_PONG:
                self._notify(lambda f=frame: self.pongs.append(f.payload))
            elif frame.opcode == OP_CLOSE:
                code = struct.unpack("!H", frame.payload[:2])[0] if len(frame.payload) >= 2 else 1005
                connection.closed_by_client = code
                # Echo the close (RFC 6455 5.5.1), then the server closes the TCP connection.
                connection.send(OP_CLOSE, frame.payload[:2])
                return
            elif frame.opcode in (OP_TEXT, OP_BINARY, OP_CONTINUATION):
                if frame.opcode != OP_CONTINUATION:
                    if message_opcode is not None:
                        self.close(connection, CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one")
                        return
                    message_opcode = frame.opcode
                elif message_opcode is None:
                    self.close(connection, CLOSE_PROTOCOL_ERROR, "continuation without a message")
                    return
                message += frame.payload
                if len(message) > MAX_MESSAGE_BYTES:
                    self.close(connection, CLOSE_TOO_BIG, "message too big")
                    return
                if frame.fin:
                    self._received(connection, bytes(message))
                    message.clear()
                    message_opcode = None
            else:
                self.close(connection, CLOSE_PROTOCOL_ERROR, f"unknown opcode {frame.opcode}")
                return

    def _received(self, connection: Connection, data: bytes) -> None:
        text = data.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("envelope_id"), str):
            payload = parsed.get("payload")
            ack = Ack(parsed["envelope_id"], payload if isinstance(payload, dict) else None,
                      connection.id, time.monotonic())
            self._notify(lambda: self.acks.append(ack))
        else:
            self._notify(lambda: self.other_messages.append(text))


def random_mask() -> bytes:
    """A client's masking key (tests that act as a websocket client use it)."""
    return secrets.token_bytes(4)

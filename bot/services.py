"""The Slack app's work, after the ack: diagnose -> remember -> render -> post.

Handlers (bot/handlers/) stay thin and call one method here each. Team memory is optional at
every step: when the database is down (MemoryUnavailable or any error), the bot still answers,
just without recurrence, buttons that need a stored occurrence, or the commands that need storage.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import commands
from bot.config import Settings
from bot.dedupe import Deduper
from bot.pacing import Pacer
from bot.paste_input import FileReader, read_thread, strip_mention
from bot.render import (
    ACTION_SHARE,
    Message,
    code,
    fix_line,
    render_diagnosis,
    render_help,
    user_ref,
    with_status,
)
from bot.render_views import (
    FIX_ACTION_ID,
    FIX_BLOCK_ID,
    fix_modal,
    home_view,
    render_command_help,
    render_notice,
    render_top,
)
from knowledge.model import Diagnosis

if TYPE_CHECKING:
    from bot.memory import Memory, Recurrence

log = logging.getLogger(__name__)
T = TypeVar("T")
Respond = Callable[..., Any]

# Work after the ack (engine, database, Web API) runs on this many threads, apart from Bolt's
# listener pool: a listener only acks and hands over, so an ack never queues behind slow work
# (a Slack 429 with Retry-After on a thread read, a locked database).
WORK_THREADS = 32
# On shutdown, work already acked gets this long to finish (Slack will not resend it).
DRAIN_SECONDS = 10.0
# Ephemeral answers are regenerated for "Share in channel" from this cache (or from storage).
SHARE_CACHE_SIZE = 2_000
# Channel message subtypes that are still a person talking to us.
USER_SUBTYPES = (None, "file_share", "thread_broadcast")


@dataclass
class Answer:
    """A diagnosis ready to post, with what storing it gave back."""

    diagnosis: Diagnosis
    recurrence: Recurrence | None
    message: Message

    @property
    def occurrence_id(self) -> int | None:
        return self.recurrence.occurrence_id if self.recurrence is not None else None


def has_content(diagnosis: Diagnosis) -> bool:
    """False when the engine found nothing to work with: the help reply is more useful then.

    (The engine always returns at least one cause, `unknown.unrecognized` at worst, so causes
    say nothing here: what counts is a status, something recognised, or a leaked secret.)"""
    return bool(diagnosis.status is not None or diagnosis.recognized or diagnosis.secrets_found)


class Services:
    """Everything a handler needs, built once per app (no globals)."""

    def __init__(self, settings: Settings, client: WebClient, memory: Memory | None, *,
                 pacer: Pacer | None = None, deduper: Deduper | None = None,
                 reader: FileReader | None = None,
                 diagnose: Callable[[str], Diagnosis] | None = None) -> None:
        self.settings = settings
        self.client = client
        if memory is not None and settings.database_url.startswith("sqlite"):
            memory = serialized(memory)
        self.memory = memory
        self.pacer = pacer or Pacer()
        self.deduper = deduper or Deduper(memory)
        self.reader = reader or FileReader.for_api(client, settings.bot_token, settings.max_file_bytes,
                                                   settings.api_url)
        if diagnose is None:
            from knowledge import diagnose as engine

            diagnose = engine
        self._diagnose = diagnose
        # The engine loads its knowledge on first use; pay that at start, not on a user's event.
        self._diagnose("429")
        self._shares: OrderedDict[str, tuple[Diagnosis, Recurrence | None]] = OrderedDict()
        self._shares_lock = threading.Lock()
        self._work = ThreadPoolExecutor(max_workers=WORK_THREADS, thread_name_prefix="work")
        self._in_flight: set[Future[Any]] = set()
        self._in_flight_lock = threading.Lock()

    # -- after the ack ------------------------------------------------------------------------
    def background(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run `job(*args)` on the work pool; a failure is logged on one line, never raised."""
        future = self._work.submit(logged, job, *args)
        with self._in_flight_lock:
            self._in_flight.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        with self._in_flight_lock:
            self._in_flight.discard(future)

    def close(self, timeout: float = DRAIN_SECONDS) -> None:
        """Let acked work finish (bounded), then stop taking more."""
        with self._in_flight_lock:
            pending = set(self._in_flight)
        if pending:
            wait_for_futures(pending, timeout=timeout)
        self._work.shutdown(wait=False, cancel_futures=True)
        self.pacer.close()

    # -- infrastructure -----------------------------------------------------------------------
    def healthy(self) -> bool:
        return self.memory is not None and self.memory.usable()

    def claim(self, team_id: str, event_id: str | None) -> bool:
        """True the first time this event is seen (retries and duplicate deliveries: False)."""
        if not event_id:
            return True
        return self.deduper.claim(team_id, event_id)

    def remember(self, action: Callable[[Memory], T]) -> T | None:
        """Run a team-memory call; None when there is no memory or it failed (logged)."""
        if self.memory is None:
            return None
        try:
            return action(self.memory)
        except Exception as exc:
            log.warning("team memory call failed: %s: %s", type(exc).__name__, exc)
            return None

    def diagnose(self, text: str) -> Diagnosis:
        return self._diagnose(text[: self.settings.max_file_bytes * 2])

    # -- the core pipeline --------------------------------------------------------------------
    def answer(self, team_id: str, channel_id: str | None, user_id: str | None, text: str,
               share: bool = False) -> Answer | None:
        """Diagnose and store; None when there is nothing to diagnose."""
        if not text.strip():
            return None
        diagnosis = self.diagnose(text)
        if not has_content(diagnosis):
            return None
        recurrence = self.remember(lambda m: m.record(team_id, channel_id, user_id, diagnosis))
        share_key = self._keep_for_share(diagnosis, recurrence) if share else None
        occurrence = recurrence.occurrence_id if recurrence is not None else None
        message = render_diagnosis(diagnosis, recurrence, occurrence_id=occurrence, share_key=share_key)
        return Answer(diagnosis, recurrence, message)

    def post(self, team_id: str, channel_id: str, message: Message, thread_ts: str | None = None,
             occurrence_id: int | None = None) -> Future[Any]:
        """Post in the channel's next free slot; the reply's ts is stored for later updates."""

        def send() -> str:
            response = self.client.chat_postMessage(channel=channel_id, thread_ts=thread_ts,
                                                    unfurl_links=False, unfurl_media=False,
                                                    **message.as_kwargs())
            ts = str(response.get("ts") or "")
            if occurrence_id is not None and ts:
                self.remember(lambda m: m.set_reply(team_id, occurrence_id, channel_id, ts))
            return ts

        future = self.pacer.submit(channel_id, send)
        future.add_done_callback(_log_failure)
        return future

    def reply_to_message(self, team_id: str, channel_id: str, user_id: str | None, text: str,
                         thread_ts: str | None, bot_user_id: str | None = None,
                         bot_id: str | None = None, current_ts: str | None = None,
                         files: list[dict[str, Any]] | None = None) -> Future[Any]:
        """Mentions, DMs and the shortcut: one reply (diagnosis or help) in `thread_ts`."""
        own = strip_mention(text, bot_user_id)
        pieces = [own, *self.reader.read_all(files)]
        paste = "\n\n".join(p for p in pieces if p.strip())
        thread = None
        if thread_ts and current_ts and thread_ts != current_ts:
            thread = self._thread(channel_id, thread_ts, current_ts, bot_user_id, bot_id)
        if thread is not None and thread.earlier_paste and (thread.bot_answered or not paste):
            paste = follow_up(paste, thread.earlier_paste)
        answer = self.answer(team_id, channel_id, user_id, paste)
        if answer is None:
            return self.post(team_id, channel_id, render_help(), thread_ts)
        return self.post(team_id, channel_id, answer.message, thread_ts, answer.occurrence_id)

    def _thread(self, channel_id: str, thread_ts: str, current_ts: str, bot_user_id: str | None,
                bot_id: str | None) -> Any:
        try:
            return read_thread(self.client, self.reader, channel_id, thread_ts, current_ts,
                               bot_user_id, bot_id)
        except Exception as exc:  # no history scope, deleted thread: answer the message alone
            log.info("could not read thread %s: %s", thread_ts, type(exc).__name__)
            return None

    # -- events -------------------------------------------------------------------------------
    def on_mention(self, team_id: str, event: dict[str, Any], bot_user_id: str | None,
                   bot_id: str | None) -> None:
        channel = str(event.get("channel") or "")
        ts = str(event.get("ts") or "")
        if not channel:
            return
        self.reply_to_message(team_id, channel, event.get("user"), str(event.get("text") or ""),
                              thread_ts=str(event.get("thread_ts") or ts) or None,
                              bot_user_id=bot_user_id, bot_id=bot_id, current_ts=ts,
                              files=event.get("files"))

    def on_direct_message(self, team_id: str, event: dict[str, Any], bot_user_id: str | None,
                          bot_id: str | None) -> None:
        """DMs are answered like mentions; top-level in the DM unless the user wrote in a thread."""
        if event.get("channel_type") != "im" or event.get("subtype") not in USER_SUBTYPES:
            return
        if event.get("bot_id") or (bot_user_id and event.get("user") == bot_user_id):
            return
        channel = str(event.get("channel") or "")
        if not channel:
            return
        self.reply_to_message(team_id, channel, event.get("user"), str(event.get("text") or ""),
                              thread_ts=event.get("thread_ts"), bot_user_id=bot_user_id,
                              bot_id=bot_id, current_ts=str(event.get("ts") or ""),
                              files=event.get("files"))

    def on_home_opened(self, team_id: str, user_id: str) -> None:
        rows = self.remember(lambda m: m.top(team_id, days=7))
        view = home_view(rows or [], days=7, unavailable=rows is None)
        self.client.views_publish(user_id=user_id, view=view)

    # -- shortcut -----------------------------------------------------------------------------
    def on_shortcut(self, team_id: str, payload: dict[str, Any], respond: Respond,
                    bot_user_id: str | None, bot_id: str | None) -> None:
        """"Diagnose this error" on any message: the answer goes in that message's thread."""
        message = payload.get("message") or {}
        channel = str((payload.get("channel") or {}).get("id") or "")
        ts = str(message.get("ts") or payload.get("message_ts") or "")
        if not channel or not ts:
            return
        if message.get("bot_id") and bot_id and message.get("bot_id") == bot_id:
            respond(response_type="ephemeral", text="That is my own answer; run it on the paste.")
            return
        future = self.reply_to_message(team_id, channel, (payload.get("user") or {}).get("id"),
                                       str(message.get("text") or ""), thread_ts=str(message.get("thread_ts") or ts),
                                       bot_user_id=bot_user_id, bot_id=bot_id, current_ts=ts,
                                       files=message.get("files"))
        try:
            future.result(timeout=60)
        except SlackApiError as exc:
            if exc.response.get("error") in ("not_in_channel", "channel_not_found"):
                respond(response_type="ephemeral",
                        text="I can't post in this channel yet: invite me with `/invite @apierror`.")

    # -- slash command ------------------------------------------------------------------------
    def on_command(self, body: dict[str, Any], respond: Respond) -> None:
        team_id = str(body.get("team_id") or "")
        channel_id = str(body.get("channel_id") or "")
        user_id = str(body.get("user_id") or "")
        command = commands.parse(str(body.get("text") or ""))
        message = self._command(team_id, channel_id, user_id, command)
        respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())

    def _command(self, team_id: str, channel_id: str, user_id: str, command: commands.Command) -> Message:
        if isinstance(command, commands.Help):
            return render_command_help()
        if isinstance(command, commands.Usage):
            return render_notice(command.message)
        if isinstance(command, commands.Diagnose):
            answer = self.answer(team_id, channel_id or None, user_id or None, command.text, share=True)
            return answer.message if answer is not None else render_help(
                "I found no status, curl command or HTTP response in that.")
        if isinstance(command, commands.Top):
            rows = self.remember(lambda m: m.top(team_id, days=command.days))
            return render_top(rows, command.days) if rows is not None else _unavailable()
        if isinstance(command, commands.DigestOn):
            channel = command.channel_id or channel_id
            tz = self._timezone(user_id)
            done = self.remember(lambda m: m.set_digest(team_id, channel, command.hour, command.minute, tz))
            if done is None:
                return _unavailable()
            return render_notice(f"Daily digest on: <#{channel}> at {command.hour:02d}:{command.minute:02d} "
                                 f"({code(tz, 60)}). Make sure I'm in that channel.")
        if isinstance(command, commands.DigestOff):
            off = self.remember(lambda m: m.disable_digest(team_id) or True)
            return render_notice("Daily digest off.") if off else _unavailable()
        if isinstance(command, commands.AddNote):
            note = self.remember(lambda m: m.add_note(team_id, command.key, command.text, user_id))
            if note is None:
                return _unavailable()
            return render_notice(f":memo: Noted for {code(note.key, 80)}; your team will see it with "
                                 "that error from now on.")
        return render_command_help()

    def _timezone(self, user_id: str) -> str:
        try:
            return str(self.client.users_info(user=user_id)["user"].get("tz") or "UTC")
        except Exception:
            return "UTC"

    # -- share --------------------------------------------------------------------------------
    def _keep_for_share(self, diagnosis: Diagnosis, recurrence: Recurrence | None) -> str:
        key = secrets.token_urlsafe(12)
        with self._shares_lock:
            self._shares[key] = (diagnosis, recurrence)
            while len(self._shares) > SHARE_CACHE_SIZE:
                self._shares.popitem(last=False)
        return key

    def on_share(self, team_id: str, body: dict[str, Any], respond: Respond) -> None:
        """"Share in channel" under an ephemeral answer: post it for everyone, drop the ephemeral."""
        value = _action_value(body, ACTION_SHARE)
        channel = str((body.get("channel") or {}).get("id") or body.get("container", {}).get("channel_id") or "")
        with self._shares_lock:
            kept = self._shares.get(str(value.get("k")))
        occurrence_id = _int(value.get("o"))
        if kept is not None:
            diagnosis, recurrence = kept
        else:  # another process answered, or the cache turned over: rebuild from the stored excerpt
            view = self.remember(lambda m: m.occurrence(team_id, occurrence_id)) if occurrence_id else None
            if view is None or not view.excerpt:
                respond(response_type="ephemeral", replace_original=False,
                        text="That answer has expired; run `/apierror` again to share it.")
                return
            diagnosis, recurrence = self.diagnose(view.excerpt), None
        user = (body.get("user") or {}).get("id")
        shared = render_diagnosis(diagnosis, recurrence, occurrence_id=occurrence_id,
                                  footer=f"Shared by {user_ref(user)}")
        try:
            self.post(team_id, channel, shared, None, occurrence_id).result(timeout=60)
        except SlackApiError as exc:
            if exc.response.get("error") not in ("not_in_channel", "channel_not_found"):
                raise
            # Not a member: the interaction's response_url can still post visibly.
            respond(response_type="in_channel", replace_original=False, **shared.as_kwargs())
        respond(delete_original=True)

    # -- feedback and fixes -------------------------------------------------------------------
    def on_vote(self, team_id: str, body: dict[str, Any], helpful: bool, action_id: str,
                respond: Respond) -> None:
        value = _action_value(body, action_id)
        occurrence_id, cause_id = _int(value.get("o")), str(value.get("c") or "")
        user = str((body.get("user") or {}).get("id") or "")
        stored = self.remember(lambda m: m.record_feedback(team_id, occurrence_id, cause_id, helpful, user)
                               or True) if occurrence_id and cause_id else None
        if stored is None:
            respond(response_type="ephemeral", replace_original=False,
                    text="I couldn't save that vote right now; please try again in a minute.")
            return
        if helpful:
            respond(response_type="ephemeral", replace_original=False,
                    text=":thumbsup: Thanks, noted. It helps rank this cause for your team.")
            return
        line = f":thumbsdown: {user_ref(user)} says {code(cause_id, 80)} was not it."
        self._update_original(body, line, respond)

    def on_mark_fixed(self, team_id: str, body: dict[str, Any], action_id: str) -> None:
        """Open the "what fixed it?" modal; where the reply lives rides along in the metadata."""
        value = _action_value(body, action_id)
        container = body.get("container") or {}
        message = body.get("message") or {}
        metadata = {
            "o": _int(value.get("o")),
            "c": container.get("channel_id") or (body.get("channel") or {}).get("id"),
            "t": container.get("message_ts") or message.get("ts"),
            "h": message.get("thread_ts"),
        }
        if container.get("is_ephemeral"):
            metadata["r"] = body.get("response_url")
        self.client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=fix_modal(metadata))

    def on_fix_submitted(self, team_id: str, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        user = str((body.get("user") or {}).get("id") or "")
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            metadata = {}
        text = fix_text(view)
        occurrence_id = _int(metadata.get("o"))
        channel, ts = metadata.get("c"), metadata.get("t")
        fix = self.remember(lambda m: m.record_fix(team_id, occurrence_id, text, user)) if occurrence_id else None
        if fix is None:
            if channel and user:
                self._safe_call(lambda: self.client.chat_postEphemeral(
                    channel=channel, user=user, text="I couldn't save that fix right now; please try again."))
            return
        if channel and ts and not metadata.get("r"):
            self._update_in_place(str(channel), str(ts), metadata.get("h"), fix_line(fix))

    # -- updating the original reply ----------------------------------------------------------
    def _update_original(self, body: dict[str, Any], line: str, respond: Respond) -> None:
        container = body.get("container") or {}
        message = body.get("message") or {}
        blocks = message.get("blocks")
        if container.get("is_ephemeral") or not isinstance(blocks, list):
            respond(response_type="ephemeral", replace_original=False, text=line)
            return
        channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        ts = str(container.get("message_ts") or message.get("ts") or "")
        self.client.chat_update(channel=channel, ts=ts, text=str(message.get("text") or "apierror"),
                                blocks=with_status(blocks, line))

    def _update_in_place(self, channel: str, ts: str, thread_ts: str | None, line: str) -> None:
        """chat.update the reply at (channel, ts) with `line`, reading its current blocks first."""
        try:
            found = self.client.conversations_replies(channel=channel, ts=thread_ts or ts, oldest=ts,
                                                      inclusive=True, limit=20)
        except SlackApiError as exc:
            log.info("could not read the reply to update: %s", exc.response.get("error"))
            return
        original = next((m for m in found.get("messages") or [] if m.get("ts") == ts), None)
        if original is None or not isinstance(original.get("blocks"), list):
            return
        self.client.chat_update(channel=channel, ts=ts, text=str(original.get("text") or "apierror"),
                                blocks=with_status(original["blocks"], line))

    def _safe_call(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except Exception as exc:
            log.info("Slack call failed: %s", type(exc).__name__)


class _Serialized:
    """Team memory with one call at a time in this process.

    SQLite allows one writer; with many listener threads its busy handler sleeps and retries,
    which turned a 3 ms write into seconds under load. Queueing on a lock here is fair and fast.
    """

    def __init__(self, memory: Memory) -> None:
        self._memory = memory
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._memory, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attribute(*args, **kwargs)

        return call


def serialized(memory: Memory) -> Memory:
    return _Serialized(memory)  # type: ignore[return-value]


def follow_up(new_text: str, earlier: str) -> str:
    """A thread follow-up: the new words first (their status wins), then the earlier paste.

    When the new words name a status of their own ("and now 403"), the earlier paste's status
    lines are left out, so the earlier response's status does not override the new one.
    """
    if not new_text.strip():
        return earlier
    if any(word.isdigit() and len(word) == 3 and word[0] in "12345" for word in _words(new_text)):
        earlier = "\n".join(line for line in earlier.splitlines()
                            if not line.lstrip("<> ").upper().startswith("HTTP/"))
    return f"{new_text}\n\n{earlier}"


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text[:2_000]).split()


def fix_text(view: dict[str, Any]) -> str:
    values = ((view.get("state") or {}).get("values") or {}).get(FIX_BLOCK_ID) or {}
    return str((values.get(FIX_ACTION_ID) or {}).get("value") or "").strip()


def _action_value(body: dict[str, Any], action_id: str) -> dict[str, Any]:
    for action in body.get("actions") or []:
        if action.get("action_id") == action_id:
            try:
                value = json.loads(action.get("value") or "{}")
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _unavailable() -> Message:
    return render_notice(":warning: Team memory is unavailable right now; please try again shortly.")


def logged(job: Callable[..., Any], *args: Any) -> Any:
    try:
        return job(*args)
    except Exception as exc:
        name = getattr(job, "__name__", "work")
        log.warning("%s failed: %s: %s", name, type(exc).__name__, str(exc).splitlines()[0][:300] if str(exc) else "")
        log.debug("%s failed", name, exc_info=True)
        return None


def _log_failure(future: Future[Any]) -> None:
    exc = future.exception()
    if exc is not None:
        log.warning("posting a reply failed: %s: %s", type(exc).__name__, exc)

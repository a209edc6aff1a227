"""One reply per Slack event, however often Slack delivers it.

Slack retries an event (X-Slack-Retry-Num) when it did not see our ack in time, and a deployment
with several processes can receive the same event twice. The database claim
(`Memory.claim_event`, a unique-row insert) decides across processes; when the database is down we
fall back to a bounded in-process set, so a single process still never answers twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

# Slack retries within minutes; a day matches the database rows' expiry.
LOCAL_TTL_SECONDS = 24 * 3600
LOCAL_MAX_KEYS = 100_000


class EventClaimer(Protocol):
    def claim_event(self, team_id: str, event_id: str) -> bool: ...


class Deduper:
    """`claim(team_id, event_id)` is True exactly once per event."""

    def __init__(self, memory: EventClaimer | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._memory = memory
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, team_id: str, event_id: str) -> bool:
        key = (team_id, event_id)
        # Checking and marking locally first also serialises two deliveries racing in this process.
        with self._lock:
            self._expire()
            if key in self._seen:
                return False
            self._seen[key] = self._clock()
            if len(self._seen) > LOCAL_MAX_KEYS:
                self._seen.popitem(last=False)
        if self._memory is None:
            return True
        try:
            return bool(self._memory.claim_event(team_id, event_id))
        except Exception as exc:  # database down: the local set is the best we have
            log.warning("event claim fell back to this process: %s", type(exc).__name__)
            return True

    def _expire(self) -> None:
        cutoff = self._clock() - LOCAL_TTL_SECONDS
        while self._seen:
            _key, at = next(iter(self._seen.items()))
            if at >= cutoff:
                break
            self._seen.popitem(last=False)

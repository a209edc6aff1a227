"""Slack's one-message-per-second-per-channel rule, kept without tying up workers.

`Pacer.submit(channel, job)` runs `job` now when the channel has been quiet for a second, else
schedules it for the channel's next free slot. A burst in one channel is spread out (paced), never
refused; other channels are not held up, because waiting jobs sit in a timer heap rather than in
sleeping listener threads.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# Slack: "1 message per second per channel", short bursts tolerated; we stay at the rule.
DEFAULT_INTERVAL = 1.0
# A hard bound on queued posts so a flood cannot grow memory without end.
MAX_PENDING = 10_000
# Channels idle this long are forgotten, so the slot table stays small.
FORGET_AFTER = 60.0


class PacerFull(RuntimeError):
    """Raised by `submit` when MAX_PENDING posts are already waiting."""


@dataclass(order=True)
class _Scheduled:
    at: float
    seq: int
    job: Callable[[], Any] = field(compare=False)
    future: Future[Any] = field(compare=False)


class Pacer:
    """Per-channel slots, a timer heap and a small pool that runs due jobs.

    `clock` and `interval` are injectable so tests can check the schedule without sleeping long.
    """

    def __init__(self, interval: float = DEFAULT_INTERVAL, executor: Executor | None = None,
                 clock: Callable[[], float] = time.monotonic, max_pending: int = MAX_PENDING) -> None:
        self.interval = interval
        self._clock = clock
        self._max_pending = max_pending
        self._next_slot: dict[str, float] = {}
        self._heap: list[_Scheduled] = []
        self._seq = itertools.count()
        self._lock = threading.Condition()
        self._executor = executor or ThreadPoolExecutor(max_workers=8, thread_name_prefix="pacer")
        self._closed = False
        self._timer = threading.Thread(target=self._loop, name="pacer-timer", daemon=True)
        self._timer.start()

    def reserve(self, channel: str) -> float:
        """Claim the channel's next slot; returns how many seconds from now it is (0 = now)."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(channel, now))
            self._next_slot[channel] = slot + self.interval
            if len(self._next_slot) > 1024:
                self._forget_idle(now)
            return slot - now

    def submit(self, channel: str, job: Callable[[], Any]) -> Future[Any]:
        """Run `job` in the channel's next slot: inline when free now, else from the timer.

        The returned future carries the job's result or exception either way.
        """
        delay = self.reserve(channel)
        future: Future[Any] = Future()
        if delay <= 0:
            _run_into(job, future)
            return future
        with self._lock:
            if len(self._heap) >= self._max_pending:
                raise PacerFull(f"{len(self._heap)} posts already waiting")
            heapq.heappush(self._heap, _Scheduled(self._clock() + delay, next(self._seq), job, future))
            self._lock.notify()
        return future

    def pending(self) -> int:
        with self._lock:
            return len(self._heap)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()
        self._timer.join(timeout=2)

    def _forget_idle(self, now: float) -> None:
        stale = [ch for ch, slot in self._next_slot.items() if slot < now - FORGET_AFTER]
        for channel in stale:
            del self._next_slot[channel]

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (not self._heap or self._heap[0].at > self._clock()):
                    wait = self._heap[0].at - self._clock() if self._heap else None
                    self._lock.wait(timeout=wait)
                if self._closed:
                    return
                due = heapq.heappop(self._heap)
            try:
                self._executor.submit(_run_into, due.job, due.future)
            except RuntimeError:  # executor shut down: run here rather than lose the post
                _run_into(due.job, due.future)


def _run_into(job: Callable[[], Any], future: Future[Any]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(job())
    except BaseException as exc:  # the caller decides; we only must not lose it
        log.debug("paced job failed: %r", exc)
        future.set_exception(exc)

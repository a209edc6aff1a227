"""bot.pacing: one message per second per channel, bursts paced rather than refused."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from bot.pacing import Pacer, PacerFull


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_one_interval_apart_per_channel() -> None:
    clock = Clock()
    pacer = Pacer(interval=1.0, clock=clock)
    try:
        assert [pacer.reserve("C1") for _ in range(3)] == [0.0, 1.0, 2.0]
        assert pacer.reserve("C2") == 0.0  # other channels are not held up
        clock.now += 0.5
        assert pacer.reserve("C1") == 2.5
        clock.now += 60
        assert pacer.reserve("C1") == 0.0  # a quiet channel starts fresh
    finally:
        pacer.close()


def test_burst_runs_in_order_spaced_and_does_not_block_the_caller() -> None:
    pacer = Pacer(interval=0.05)
    ran: list[tuple[int, float]] = []
    try:
        started = time.monotonic()
        futures = [pacer.submit("C1", lambda i=i: ran.append((i, time.monotonic())) or i)
                   for i in range(6)]
        assert time.monotonic() - started < 0.05  # only the first ran inline
        assert [f.result(timeout=5) for f in futures] == list(range(6))
        assert [i for i, _ in ran] == list(range(6))
        gaps = [b - a for (_, a), (_, b) in itertools.pairwise(ran)]
        assert all(gap >= 0.04 for gap in gaps), gaps
    finally:
        pacer.close()


def test_failures_reach_the_future() -> None:
    pacer = Pacer(interval=0.01)
    try:
        pacer.submit("C1", lambda: None)
        future = pacer.submit("C1", lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            future.result(timeout=5)
    finally:
        pacer.close()


def test_bounded_queue_refuses_only_beyond_the_bound() -> None:
    pacer = Pacer(interval=10.0, max_pending=3)
    try:
        pacer.submit("C1", lambda: None)  # inline
        for _ in range(3):
            pacer.submit("C1", lambda: None)
        assert pacer.pending() == 3
        with pytest.raises(PacerFull):
            pacer.submit("C1", lambda: None)
    finally:
        pacer.close()


def test_many_threads_many_channels() -> None:
    pacer = Pacer(interval=0.02)
    done: list[str] = []
    lock = threading.Lock()

    def work(channel: str) -> None:
        for _ in range(3):
            pacer.submit(channel, lambda: (lock.acquire(), done.append(channel), lock.release()))

    try:
        threads = [threading.Thread(target=work, args=(f"C{i}",)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deadline = time.monotonic() + 5
        while len(done) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(done) == 60
    finally:
        pacer.close()

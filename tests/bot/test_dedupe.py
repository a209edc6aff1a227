"""bot.dedupe: one claim per event, across processes via the database, locally when it is down."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.dedupe import Deduper
from bot.memory import Memory


class DownMemory:
    def claim_event(self, team_id: str, event_id: str) -> bool:
        raise RuntimeError("database down")


def test_first_claim_wins_even_under_concurrency(tmp_path: Path) -> None:
    memory = Memory(f"sqlite:///{tmp_path / 'd.db'}", create=True)
    try:
        deduper = Deduper(memory)
        results: list[bool] = []
        threads = [threading.Thread(target=lambda: results.append(deduper.claim("T1", "Ev1")))
                   for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]
        assert deduper.claim("T2", "Ev1")  # another team's event id is its own
        # A second process (its own Deduper, same database) sees the claim too.
        assert not Deduper(memory).claim("T1", "Ev1")
    finally:
        memory.close()


def test_database_down_falls_back_to_this_process() -> None:
    deduper = Deduper(DownMemory())
    assert deduper.claim("T1", "Ev1")
    assert not deduper.claim("T1", "Ev1")


def test_local_entries_expire() -> None:
    now = [0.0]
    deduper = Deduper(None, clock=lambda: now[0])
    assert deduper.claim("T1", "Ev1")
    now[0] += 2 * 24 * 3600
    assert deduper.claim("T1", "Ev1")

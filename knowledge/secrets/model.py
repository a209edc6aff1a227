"""The result type (`Secret`), the internal candidate (`Hit`) and the limits every detector obeys."""

from __future__ import annotations

from dataclasses import dataclass, field

# Pastes longer than this are scanned up to here only (the engine caps pastes well below).
MAX_SCAN_CHARS = 4_000_000
# Bounds on work per paste: matches examined per detector and secrets kept.
MAX_MATCHES_PER_DETECTOR = 100_000
MAX_SECRETS = 500
# Forms shorter than this are never masked: replacing "ab" everywhere would wreck the output.
MIN_FORM_LEN = 4
# Forms shorter than this are only masked as whole words ("hunter2" but not inside "latest").
BOUNDED_FORM_LEN = 10

MASK = "***"


@dataclass(frozen=True)
class Secret:
    """One credential found in a paste.

    `kind` is a stable snake_case id (`stripe_secret_key`, `jwt`, `password`, ...), `label` is for
    humans, `value` the exact text in the paste, `masked` what to show instead (a recognisable
    non-secret prefix then `***`). `live` is False for test-mode keys. `forms` are extra exact
    strings that reveal the secret too (base64 of `user:password`, lines of a PEM block).
    The value is kept out of `repr` so that logging a Secret does not leak it.
    """

    kind: str
    label: str
    value: str = field(repr=False)
    masked: str
    live: bool = True
    forms: tuple[str, ...] = field(default=(), repr=False, compare=False)


@dataclass
class Hit:
    """A candidate secret with where it was found and how much to trust the detector."""

    secret: Secret
    start: int
    end: int
    priority: int  # 3 vendor shape, 2 structure, 1 named field, 0 keyword + entropy


PRIORITY_SHAPE = 3
PRIORITY_STRUCTURE = 2
PRIORITY_NAMED = 1
PRIORITY_GENERIC = 0

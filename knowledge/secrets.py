"""Secrets: find credentials once, mask them everywhere.

STUB: replaced by the secret scanner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Secret:
    kind: str  # "stripe_live_key", "github_token", "jwt", "basic_credentials", ...
    label: str  # for humans: "Stripe live secret key"
    value: str  # the exact secret text as it appears in the paste
    masked: str  # what to show instead: "sk_live_***"


def find_secrets(text: str) -> list[Secret]:
    """Every live-looking credential in `text`; placeholders and ids are not secrets."""
    return []


class Masker:
    """Replaces every known secret (and its derived forms) in strings and nested objects."""

    def __init__(self, secrets: list[Secret]) -> None:
        self.secrets = secrets

    def mask(self, text: str) -> str:
        for secret in sorted(self.secrets, key=lambda s: -len(s.value)):
            text = text.replace(secret.value, secret.masked)
        return text

    def mask_obj(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self.mask(obj)
        if isinstance(obj, list):
            return [self.mask_obj(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.mask_obj(item) for item in obj)
        if isinstance(obj, dict):
            return {self.mask(str(k)) if isinstance(k, str) else k: self.mask_obj(v) for k, v in obj.items()}
        return obj

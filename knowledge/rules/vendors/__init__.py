"""Vendor-specific rules, one module per vendor (github.py, stripe.py, aws.py, ...).

Each module registers its rules with `knowledge.rules.rule`; list it in `MODULES` below.
"""

from __future__ import annotations

import importlib

MODULES: tuple[str, ...] = ("github", "aws", "layers")


def load() -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")

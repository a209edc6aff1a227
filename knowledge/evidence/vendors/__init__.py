"""Vendor-specific evidence extractors, one module per vendor; list each in `MODULES`."""

from __future__ import annotations

import importlib

MODULES: tuple[str, ...] = ()


def load() -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")

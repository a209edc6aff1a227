"""Caps that keep the HTTP walk linear on any paste: how much is read, kept and scanned."""

from __future__ import annotations

MAX_TEXT = 2_000_000  # characters read at all; the normaliser caps pastes well below this
MAX_LINES = 100_000
MAX_HEADERS = 200  # per message; further header lines are consumed and dropped
MAX_BODY = 64 * 1024  # characters kept (and scanned) per body
MAX_MESSAGES = 200  # requests + responses + bodies kept per paste
# Characters spent on body candidates that turned out not to be bodies ("{id} in prose"):
# without a budget, many unclosed `{` could each scan 64 KB and make the walk quadratic.
MISS_BUDGET = 1_000_000
MAX_CURL_LINES = 500

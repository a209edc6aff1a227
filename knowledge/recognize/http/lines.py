"""The paste as the walk sees it: normalised text, its lines and where each line starts."""

from __future__ import annotations

from knowledge.recognize.http.limits import MAX_LINES, MAX_TEXT


class Lines:
    """Capped, newline-normalised text split once into lines, with each line's text offset.

    Readers index `lines` by line number and `text` by offset (bracket and markup scans run
    over `text` so a body can span lines without joining them again).
    """

    __slots__ = ("first_line", "lines", "offsets", "text")

    def __init__(self, text: str) -> None:
        text = text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.lines = text.split("\n", MAX_LINES)[:MAX_LINES]
        offsets: list[int] = []
        at = 0
        for line in self.lines:
            offsets.append(at)
            at += len(line) + 1
        self.offsets = offsets
        # A paste's opening line gets the lenient payload reading (see bodies.py).
        self.first_line = -1
        for k, line in enumerate(self.lines):
            # Stops at the first line with text (nearly always line 0) instead of walking all.
            if line.strip():
                self.first_line = k
                break

    def line_after(self, i: int, end: int) -> int:
        """Index of the line after the one holding text offset `end - 1` (searching from `i`)."""
        j = i
        n = len(self.lines)
        offsets = self.offsets
        while j + 1 < n and offsets[j + 1] < end:
            j += 1
        return j + 1

"""`apierror diagnose` for people: the diagnosis as readable terminal text.

Colour (ANSI) only when asked for, which the CLI does only on a terminal without NO_COLOR.
Everything shown comes from the Diagnosis, which the engine has already masked.
"""

from __future__ import annotations

from knowledge.model import Cause, Diagnosis

_STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
# C0 controls (ESC above all: a paste must not drive the user's terminal) shown as U+FFFD.
_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
_OTHER_CAUSES_SHOWN = 4


class _Pen:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *styles: str) -> str:
        if not self.colour or not styles:
            return text
        codes = ";".join(_STYLES[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"


def _percent(confidence: float) -> str:
    return f"{round(confidence * 100)}%"


def _cause_block(cause: Cause, pen: _Pen) -> list[str]:
    lines = [pen(f"{cause.title}", "bold") + pen(f"  ({cause.id}, {_percent(cause.confidence)})", "dim")]
    if cause.evidence:
        lines.append(pen("  Evidence", "cyan"))
        lines += [f"    • {item}" for item in cause.evidence]
    if cause.debug:
        lines.append(pen("  Debug", "cyan"))
        lines += [f"    {n}. {step}" for n, step in enumerate(cause.debug, 1)]
    if cause.fixes:
        lines.append(pen("  Fix", "cyan"))
        lines += [f"    • {fix}" for fix in cause.fixes]
    return lines


def render_terminal(diagnosis: Diagnosis, *, colour: bool = False) -> str:
    pen = _Pen(colour)
    out: list[str] = []
    for warning in diagnosis.warnings:
        out.append(pen("! ", "yellow", "bold") + pen(warning, "yellow"))
    if diagnosis.warnings:
        out.append("")
    heading = "apierror"
    if diagnosis.status is not None:
        heading += f": HTTP {diagnosis.status}"
    if diagnosis.vendor:
        heading += f" from {diagnosis.vendor}"
    elif diagnosis.host:
        heading += f" from {diagnosis.host}"
    out.append(pen(heading, "bold"))
    if diagnosis.recognized:
        out.append(pen("Read: " + ", ".join(diagnosis.recognized), "dim"))
    request = diagnosis.request
    if request:
        out.append(pen(f"Request: {request.get('method')} {request.get('url')}", "dim"))
        for name, value in (request.get("headers") or {}).items():
            out.append(pen(f"  {name}: {value}", "dim"))
    for request_id in diagnosis.request_ids:
        out.append(pen(f"Quote to support: {request_id}", "dim"))
    out.append("")
    if diagnosis.causes:
        top, *rest = diagnosis.causes
        out.append(pen("Most likely: ", "green", "bold") + _cause_block(top, pen)[0])
        out += _cause_block(top, pen)[1:]
        if rest:
            out.append("")
            out.append(pen("Also possible", "bold"))
            for cause in rest[:_OTHER_CAUSES_SHOWN]:
                first = f" — {cause.evidence[0]}" if cause.evidence else ""
                out.append(f"  • {cause.title} ({_percent(cause.confidence)}){pen(first, 'dim')}")
    return "\n".join(out).translate(_CONTROLS) + "\n"

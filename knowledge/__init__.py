"""apierror's diagnosis engine: pure Python, no Slack, no database.

`diagnose(text)` is the one entry point: it reads whatever a developer pasted and returns a
ranked `Diagnosis` whose `to_dict()` is the `diagnose --json` object of INTERFACE.md.
"""

from knowledge.diagnose import diagnose
from knowledge.model import Cause, Diagnosis

__all__ = ["Cause", "Diagnosis", "diagnose"]

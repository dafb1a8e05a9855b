"""The codes of the Universal DPI Safeguards framework's principles: F1-F9 foundational, O1-O9 operational.

Trainings and library resources are tagged with them, and ``consortium.suggestions`` is keyed by them.
The principles' names and texts are versioned with the framework itself (``safeguards/frameworks/``);
a test checks that every framework there uses exactly these codes.
"""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice

FOUNDATIONAL = tuple(f"F{n}" for n in range(1, 10))
OPERATIONAL = tuple(f"O{n}" for n in range(1, 10))
CODES = FOUNDATIONAL + OPERATIONAL


def principle_choices() -> list[SelectChoice]:
    return [SelectChoice(code, code) for code in CODES]

"""An audit event's changes as rows people read: field, before, after.

The recorder stores ``{field: [before, after]}`` for a changed row, ``{field: value}`` for a new row or
a semantic event's details, and ``"changed"`` where the value is kept out of the log (secrets, health
needs). Values come back as plain text: lists joined, times in the viewer's zone, nothing escaped.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from consortium.dates import short_moment
from consortium.i18n import fast_gettext as _

_ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


class ChangeRow(NamedTuple):
    field: str
    before: str
    after: str


def readable(value: Any) -> str:
    if value is None or value in ("", [], {}):
        return "\N{EM DASH}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return short_moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def change_rows(action: str, changes: dict[str, Any] | None) -> list[ChangeRow]:
    rows = []
    for field, value in (changes or {}).items():
        if value == "changed":
            rows.append(ChangeRow(field, "", _("changed (the value is not logged)")))
        elif action == "update" and isinstance(value, list) and len(value) == 2:
            rows.append(ChangeRow(field, readable(value[0]), readable(value[1])))
        else:
            rows.append(ChangeRow(field, "", readable(value)))
    return rows

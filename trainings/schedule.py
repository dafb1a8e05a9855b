"""The rules a training's schedule must follow, whether it comes from the HTML form or the API.

Sessions are (start, end) pairs, time-zone aware. A session cannot end before it starts, sessions cannot
repeat or overlap, and a new one cannot start in the past (sessions already held may stay when a training
is edited). Messages are translated and name the session as the form writes it, in the training's zone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from consortium.i18n import lazy_gettext as _l

Session = tuple[datetime, datetime]


class ScheduleError(ValueError):
    """A schedule that cannot be; the message is translated and names the session at fault."""


def session_line(start: datetime, end: datetime) -> str:
    """``2026-12-01 14:00-16:00``: how the form writes a session (in the zone of ``start``); one that ends
    on another day names that day too (``2026-12-01 23:00-2026-12-02 01:00``)."""
    end_day = f"{end.date().isoformat()} " if end.date() != start.date() else ""
    return f"{start.date().isoformat()} {start:%H:%M}-{end_day}{end:%H:%M}"


def refuse_overlaps(sessions: Iterable[tuple[datetime, datetime, str]]) -> None:
    """Sessions with their lines as written; refuses the first pair (in time order) that overlaps."""
    ordered = sorted(sessions, key=lambda session: session[:2])
    for (_start, previous_end, previous), (start, _end, line) in pairwise(ordered):
        if start < previous_end:
            raise ScheduleError(
                _l("These sessions overlap or repeat: %(first)s and %(second)s", first=previous, second=line)
            )


def refuse_past(
    sessions: Iterable[Session], existing: Collection[Session], now: datetime | None = None
) -> None:
    now = now or datetime.now(UTC)
    for start, end in sorted(sessions):
        if start < now and (start, end) not in existing:
            raise ScheduleError(
                _l("A new session cannot start in the past: %(line)s", line=session_line(start, end))
            )


def check(sessions: Iterable[Session], zone: str, existing: Collection[Session] = ()) -> list[Session]:
    """The sessions in ``zone``, sorted, if they follow every rule; else ``ScheduleError``."""
    tz = ZoneInfo(zone)
    local = sorted((start.astimezone(tz), end.astimezone(tz)) for start, end in sessions)
    for start, end in local:
        if end <= start:
            raise ScheduleError(
                _l("This session ends before it starts: %(line)s", line=session_line(start, end))
            )
    refuse_overlaps((start, end, session_line(start, end)) for start, end in local)
    refuse_past(local, existing)
    return local

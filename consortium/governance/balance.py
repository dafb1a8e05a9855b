"""The balance check of a meeting or decision: which of the sectors a multi-stakeholder space must hear
had no seat present (or, for a decision taken on its own, no seat taking a position)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.governance.models import Seat, Sector
from consortium.governance.records import MeetingAttendance, SpaceDecision
from consortium.i18n import lazy_gettext as _l

#: each sector checked, with what the page says when none of its seats is there
CHECKED = {
    Sector.GOVERNMENT: _l("No government seat present"),
    Sector.REGULATOR: _l("No regulator seat present"),
    Sector.ADVOCATES: _l("No civil society seat present"),
    Sector.COMMUNITIES: _l("No affected communities seat present"),
}


def warnings(present: set[Sector]) -> list:
    """What is missing among the checked sectors, given those present (nothing when nobody is recorded)."""
    if not present:
        return []
    return [message for sector, message in CHECKED.items() if sector not in present]


def sectors_at(meeting_id: int) -> set[Sector]:
    """The sectors of the seats recorded present at the meeting, in one query."""
    return set(
        db.session.scalars(
            sa.select(Seat.sector)
            .join(MeetingAttendance, MeetingAttendance.seat_id == Seat.id)
            .where(MeetingAttendance.meeting_id == meeting_id)
            .distinct()
        )
    )


def of_decision(decision: SpaceDecision) -> list:
    """At its meeting, the attendance decides (one query); on its own, the seats that took a position."""
    if decision.meeting_id is not None:
        return warnings(sectors_at(decision.meeting_id))
    return warnings({vote.sector for vote in decision.votes})

"""A space's public record as CSV (CC BY 4.0), beside the decisions' and the report's: its roster and
its meetings. The same rule as the pages decides who may read them (members-only spaces stay closed)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from consortium.csvexport import csv_response
from consortium.dates import iso
from consortium.db import db
from consortium.governance import listing, policies
from consortium.governance.records import Meeting
from consortium.governance.views import bp
from consortium.permissions import public


@bp.route("/governance/spaces/<int:space_id>/roster.csv")
@public
def roster_csv(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    seats = listing.seats_of(space)
    header = ["name", "organisation", "sector", "role", "term_starts_on", "term_ends_on", "interests"]
    rows = [
        [
            seat.user.name,
            seat.organisation.name,
            seat.sector.value,
            seat.role.value,
            seat.term_starts_on.isoformat(),
            seat.term_ends_on.isoformat() if seat.term_ends_on else "",
            seat.interests,
        ]
        for seat in seats
    ]
    return csv_response(header, rows, f"roster-{space.id}.csv")


@bp.route("/governance/spaces/<int:space_id>/meetings.csv")
@public
def meetings_csv(space_id: int):
    space = policies.space_or_404(current_user, space_id)
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.space_id == space.id).order_by(Meeting.starts_at)
    ).all()
    header = ["id", "title", "kind", "format", "starts_at_utc", "ends_at_utc", "place", "online_url"]
    header += ["cancelled_at_utc", "minutes_published_at_utc"]
    rows = [
        [
            m.id,
            m.title,
            m.kind.value,
            m.format.value,
            iso(m.starts_at),
            iso(m.ends_at),
            m.place,
            m.online_url,
            iso(m.cancelled_at),
            iso(m.minutes_published_at),
        ]
        for m in meetings
    ]
    return csv_response(header, rows, f"meetings-{space.id}.csv")

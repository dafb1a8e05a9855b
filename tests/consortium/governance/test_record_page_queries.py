"""The meetings and decisions list pages run at most 4 queries whatever the number of rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Seat, SeatRole
from consortium.governance.records import (
    DecisionVote,
    Meeting,
    Position,
    SpaceDecision,
    decision_contributions,
)

MAX_QUERIES = 4


def _grow(space, seat_in, consultation, db, n: int, start: int) -> None:
    when = datetime(2026, 11, 1, 15, tzinfo=UTC)
    for i in range(start, start + n):
        meeting = Meeting(
            space_id=space.id,
            title=f"Reunión {i}",
            starts_at=when + timedelta(days=i),
            ends_at=when + timedelta(days=i, hours=2),
            place="Lima",
        )
        seat = db.session.scalars(sa.select(Seat).where(Seat.user_id == seat_in(space).id)).one()
        contribution = Contribution(
            consultation_id=consultation.id,
            section_id=consultation.sections[0].id,
            body=f"Idea {i}",
            revision=1,
        )
        db.session.add_all([meeting, contribution])
        db.session.flush()
        decision = SpaceDecision(
            space_id=space.id,
            meeting_id=meeting.id,
            text=f"Decisión {i}",
            rationale="Porque sí.",
            language="es",
            principles=["F1"],
            votes=[
                DecisionVote(
                    seat_id=seat.id,
                    organisation_id=seat.organisation_id,
                    sector=seat.sector,
                    position=Position.SUPPORTED,
                )
            ],
        )
        db.session.add(decision)
        db.session.flush()
        db.session.execute(
            decision_contributions.insert().values(decision_id=decision.id, contribution_id=contribution.id)
        )
    db.session.commit()


@pytest.mark.parametrize("who", ["anonymous", "member", "convenor"])
@pytest.mark.parametrize("page", ["meetings", "decisions"])
def test_record_lists_run_a_fixed_number_of_queries(
    client, login_as, space, seat_in, make_consultation, count_queries, member, db, who, page
):
    consultation = make_consultation(space)
    if who == "member":
        login_as(member)
    elif who == "convenor":
        login_as(seat_in(space, SeatRole.CONVENOR))
    counts, path = [], f"/governance/spaces/{space.id}/{page}"
    for start, more in ((0, 2), (2, 8)):
        _grow(space, seat_in, consultation, db, more, start)
        with count_queries() as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts

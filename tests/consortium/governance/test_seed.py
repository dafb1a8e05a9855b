"""The bench seed's governance volume: public spaces with an open consultation each, the bench member
seated in the first (issue 14: the bench measures a space and a consultation, anonymous and seated)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import seed, transaction
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Consultation, Space


def test_bench_seed_makes_spaces_with_consultations_and_seats_the_member(app, db, client, login_as):
    with transaction.writing():  # as `flask bench seed` runs it: roadmap services lock rows
        seed.seed(1)
    db.session.commit()
    spaces = db.session.scalars(sa.select(Space).where(Space.slug.like("bench-space-%"))).all()
    assert len(spaces) == 3
    first = next(s for s in spaces if s.slug == "bench-space-0")
    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.space_id == first.id))
    contributions = db.session.scalar(
        sa.select(sa.func.count()).where(Contribution.consultation_id == consultation.id)
    )
    assert contributions == 12
    member = db.session.scalar(sa.select(seed.User).where(seed.User.email == seed.BENCH_MEMBER))
    assert member.id in {s.user_id for s in first.seats}
    for who in (None, member):
        if who:
            login_as(who)
        assert client.get(f"/governance/spaces/{first.id}").status_code == 200
        assert client.get(f"/governance/consultations/{consultation.id}").status_code == 200
    with transaction.writing():
        assert seed.seed(1) == 0  # once per database

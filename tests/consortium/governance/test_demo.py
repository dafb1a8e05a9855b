"""The demo spaces load once: Pix in Portuguese and Bre-B in Spanish, each with an open consultation."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import demo
from consortium.governance.models import (
    Consultation,
    ConsultationState,
    Contribution,
    Cosignature,
    Seat,
    Space,
    Support,
)


def test_demo_spaces_load_once_with_seats_and_an_open_consultation(client, db):
    demo.load()
    db.session.commit()
    assert demo.load() == 0
    db.session.commit()
    spaces = {s.slug: s for s in db.session.scalars(sa.select(Space))}
    assert set(spaces) == {"pix-brasil", "bre-b-colombia"}
    assert spaces["pix-brasil"].main_language == "pt_BR"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Seat)) == 5
    consultations = db.session.scalars(sa.select(Consultation)).all()
    assert {c.state for c in consultations} == {ConsultationState.OPEN}
    answered = [c.is_answered for c in db.session.scalars(sa.select(Contribution))]
    assert sorted(answered) == [False] * 7 + [True]
    kinds = {(c.consultation.space.slug, c.kind.value) for c in db.session.scalars(sa.select(Contribution))}
    assert len(kinds) == 8  # every kind in each space
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cosignature)) == 2
    pix = spaces["pix-brasil"]
    client.set_cookie("lang", "pt_BR")
    html = client.get(f"/governance/spaces/{pix.id}").get_data(as_text=True)
    assert "Espaço de governança do Pix" in html and "André Lima" in html
    page = client.get(f"/governance/consultations/{consultations[0].id}")
    assert page.status_code == 200


def test_the_pix_demo_space_has_a_past_meeting_with_minutes_and_a_decision(client, db):
    from consortium.governance.records import Meeting, SpaceDecision

    demo.load()
    db.session.commit()
    assert demo.load() == 0
    db.session.commit()
    (meeting,) = db.session.scalars(sa.select(Meeting)).all()
    (decision,) = db.session.scalars(sa.select(SpaceDecision)).all()
    assert meeting.space.slug == "pix-brasil" and meeting.minutes_published_at is not None
    assert decision.meeting_id == meeting.id and len(decision.contributions) == 1 and decision.votes
    client.set_cookie("lang", "es")  # no Spanish minutes: the Portuguese ones with the notice
    html = client.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert 'id="minutes-fallback"' in html and "Plenária" in html
    for path in (
        f"/governance/spaces/{meeting.space_id}/decisions",
        f"/governance/decisions/{decision.id}",
        f"/governance/meetings/{meeting.id}.ics",
        f"/governance/spaces/{meeting.space_id}/decisions.csv",
    ):
        assert client.get(path).status_code == 200, path

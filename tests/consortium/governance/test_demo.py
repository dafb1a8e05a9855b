"""The demo spaces load once: Pix in Portuguese with a published consultation and one owing responses,
Bre-B in Spanish with an open one."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import demo
from consortium.governance.contribution_models import Contribution, Cosignature, Response, Support
from consortium.governance.models import Consultation, ConsultationState, Seat, Space


def test_demo_spaces_load_once_with_seats_consultations_and_a_response_debt(client, db):
    demo.load()
    db.session.commit()
    assert demo.load() == 0
    db.session.commit()
    spaces = {s.slug: s for s in db.session.scalars(sa.select(Space))}
    assert set(spaces) == {"pix-brasil", "bre-b-colombia"}
    assert spaces["pix-brasil"].main_language == "pt_BR"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Seat)) == 7
    states = {c.title: c.state for c in db.session.scalars(sa.select(Consultation))}
    assert sorted(states.values()) == sorted(
        [ConsultationState.PUBLISHED, ConsultationState.RESPONDING, ConsultationState.OPEN]
    )
    responses = db.session.scalars(sa.select(Response)).all()
    assert sorted(r.is_approved for r in responses) == [False, True, True, True]
    assert sum(r.published_at is not None for r in responses) == 2
    kinds = {(c.consultation.space.slug, c.kind.value) for c in db.session.scalars(sa.select(Contribution))}
    assert len(kinds) == 8  # every kind in each space
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cosignature)) == 2
    pix = spaces["pix-brasil"]
    client.set_cookie("lang", "pt_BR")
    html = client.get(f"/governance/spaces/{pix.id}").get_data(as_text=True)
    assert "Espaço de governança do Pix" in html and "André Lima" in html
    # the answering consultation is past its due date: two contributions lack an approved response
    assert 'id="debt-h"' in html and "Observatorio" in html
    for consultation in db.session.scalars(sa.select(Consultation)):
        assert client.get(f"/governance/consultations/{consultation.id}").status_code == 200
        assert client.get(f"/governance/consultations/{consultation.id}/report").status_code == 200


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

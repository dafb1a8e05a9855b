"""The demo spaces load once: Pix in Portuguese and Bre-B in Spanish, each with an open consultation."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import demo
from consortium.governance.models import Consultation, ConsultationState, Contribution, Seat, Space


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
    assert sorted(answered) == [False, False, True]
    pix = spaces["pix-brasil"]
    client.set_cookie("lang", "pt_BR")
    html = client.get(f"/governance/spaces/{pix.id}").get_data(as_text=True)
    assert "Espaço de governança do Pix" in html and "André Lima" in html
    page = client.get(f"/governance/consultations/{consultations[0].id}")
    assert page.status_code == 200

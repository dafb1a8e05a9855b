"""Decisions: convenors record them (at a meeting or on their own) with each seat's position by sector,
the contributions and framework codes they answer; everyone who sees the space reads them and their CSV."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from consortium.governance.models import Contribution, Seat, SeatRole
from consortium.governance.records import Position, SpaceDecision
from tests.factories import UserFactory


def _seat(db, user) -> Seat:
    return db.session.scalars(sa.select(Seat).where(Seat.user_id == user.id)).one()


@pytest.fixture
def seats(space, seat_in, db):
    government = _seat(db, seat_in(space, SeatRole.FOCAL_POINT, sector="government"))
    advocates = _seat(db, seat_in(space, SeatRole.MEMBER, sector="advocates"))
    academia = _seat(db, seat_in(space, SeatRole.MEMBER, sector="academia"))
    return government, advocates, academia


@pytest.fixture
def contribution(space, seat_in, make_consultation, db):
    consultation = make_consultation(space)
    item = Contribution(
        consultation_id=consultation.id,
        section_id=consultation.sections[0].id,
        author_id=seat_in(space).id,
        body="Publiquem os dados de devoluções.",
        revision=1,
    )
    db.session.add(item)
    db.session.commit()
    return item


def _data(seats, **overrides) -> dict:
    government, advocates, academia = seats
    return {
        "text": "Publicar as estatísticas de devoluções a cada mês.",
        "rationale": "As contribuições pediram transparência.",
        "language": "pt_BR",
        "meeting_id": "0",
        "supported": [str(government.id), str(advocates.id)],
        "opposed": [],
        "abstained": [str(academia.id)],
        "principles": ["F3", "O2"],
        **overrides,
    }


def test_a_convenor_records_a_decision_with_positions_links_and_codes(
    client, login_as, space, convenor, seats, contribution, submit, db
):
    login_as(convenor)
    response = submit(
        f"/governance/spaces/{space.id}/decisions/new", _data(seats, contributions=[str(contribution.id)])
    )
    assert response.status_code == 302
    decision = db.session.scalars(sa.select(SpaceDecision)).one()
    tally = decision.seats_by_position()
    assert [s.sector.value for s in tally[Position.SUPPORTED]] == ["government", "advocates"]
    assert [s.sector.value for s in tally[Position.ABSTAINED]] == ["academia"]
    assert decision.principles == ["F3", "O2"]
    assert [c.id for c in decision.contributions] == [contribution.id]
    anonymous = client.application.test_client()
    anonymous.set_cookie("lang", "en")
    html = anonymous.get(f"/governance/spaces/{space.id}/decisions").get_data(as_text=True)
    assert "Publicar as estatísticas" in html and "Government (R1)" in html and "F3" in html
    assert "It answers 1 contribution" in html
    html = anonymous.get(f"/governance/decisions/{decision.id}").get_data(as_text=True)
    assert f"#c{contribution.id}" in html and "Publiquem os dados" in html


def test_a_seat_takes_one_position_only(login_as, space, convenor, seats, submit, db):
    login_as(convenor)
    government = seats[0]
    response = submit(
        f"/governance/spaces/{space.id}/decisions/new", _data(seats, opposed=[str(government.id)])
    )
    assert response.status_code == 200
    assert "Publicar as estatísticas" in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.scalars(sa.select(SpaceDecision)).all() == []


def test_a_decision_cannot_answer_another_spaces_contribution(
    login_as, make_space, space, convenor, seats, seat_in, make_consultation, submit, db
):
    other = make_space(slug="bre-b")
    consultation = make_consultation(other)
    foreign = Contribution(
        consultation_id=consultation.id,
        section_id=consultation.sections[0].id,
        author_id=seat_in(other).id,
        body="Otra",
        revision=1,
    )
    db.session.add(foreign)
    db.session.commit()
    login_as(convenor)
    response = submit(
        f"/governance/spaces/{space.id}/decisions/new", _data(seats, contributions=[str(foreign.id)])
    )
    assert response.status_code == 200  # not among this space's choices
    assert db.session.scalars(sa.select(SpaceDecision)).all() == []


@pytest.mark.parametrize("role", [None, SeatRole.MEMBER, SeatRole.FOCAL_POINT])
def test_only_convenors_record_decisions(client, login_as, space, seat_in, role):
    login_as(seat_in(space, role) if role else UserFactory())
    assert client.get(f"/governance/spaces/{space.id}/decisions/new").status_code == 403


def test_the_csv_export_runs_no_formula(client, login_as, space, convenor, seats, submit, db):
    login_as(convenor)
    data = _data(seats, text='=HYPERLINK("http://evil.example")', rationale="+1 porque sim")
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 302
    response = client.application.test_client().get(f"/governance/spaces/{space.id}/decisions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["text"].startswith("'=") and rows[0]["rationale"].startswith("'+")
    assert "(government)" in rows[0]["supported"] and "(academia)" in rows[0]["abstained"]
    assert rows[0]["principles"] == "F3 O2"


def test_a_members_only_spaces_decisions_are_hidden(client, make_space):
    hidden = make_space(slug="privado", is_public=False)
    for path in (
        f"/governance/spaces/{hidden.id}/decisions",
        f"/governance/spaces/{hidden.id}/decisions.csv",
    ):
        assert client.get(path).status_code == 404

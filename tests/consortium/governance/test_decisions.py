"""Decisions: convenors record them (at a meeting or on their own) with each seat's position by sector,
the contributions and framework codes they answer; everyone who sees the space reads them and their CSV."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Seat, SeatRole
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


def test_a_validation_by_vote_keeps_its_dissent_and_tallies_by_sector(
    client, login_as, space, convenor, seats, submit, db
):
    government, advocates, _academia = seats
    login_as(convenor)
    data = _data(
        seats,
        kind="validation",
        method="vote",
        supported=[str(government.id)],
        opposed=[str(advocates.id)],
        dissent="A sociedade civil pede prazos menores.",
    )
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 302
    decision = db.session.scalars(sa.select(SpaceDecision)).one()
    assert (decision.kind.value, decision.method.value) == ("validation", "vote")
    assert decision.tally_by_sector()[advocates.sector][Position.OPPOSED] == 1
    reader = client.application.test_client()
    reader.set_cookie("lang", "en")
    html = reader.get(f"/governance/decisions/{decision.id}").get_data(as_text=True)
    assert "Validation" in html and "By vote" in html
    assert "A sociedade civil pede prazos menores." in html and "Positions by sector" in html
    # taken on its own, the balance is judged from the seats that took a position
    assert "No government seat present" not in html and "No civil society seat present" not in html
    assert "No affected communities seat present" in html


@pytest.mark.parametrize(
    ("method", "overrides"),
    [
        ("consensus", {"opposed": ["academia"], "abstained": []}),  # an opposed seat is no consensus
        ("vote", {"supported": [], "abstained": []}),  # a vote names the positions
    ],
)
def test_the_method_must_match_the_positions(login_as, space, convenor, seats, submit, db, method, overrides):
    by_name = dict(zip(("government", "advocates", "academia"), seats, strict=True))
    resolved = {key: [str(by_name[name].id) for name in names] for key, names in overrides.items()}
    login_as(convenor)
    response = submit(f"/governance/spaces/{space.id}/decisions/new", _data(seats, method=method, **resolved))
    assert response.status_code == 200
    assert "Publicar as estatísticas" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(SpaceDecision)).all() == []


def test_a_decision_at_a_meeting_checks_the_balance_of_its_attendance(
    client, login_as, space, convenor, seats, submit, db
):
    from datetime import UTC, datetime, timedelta

    from consortium import transaction
    from consortium.governance import services
    from consortium.governance.records import MeetingAttendance

    _government, advocates, _academia = seats
    db.session.commit()
    with transaction.writing():
        start = datetime.now(UTC) - timedelta(days=1)
        meeting = services.schedule_meeting(
            space, by=None, title="Plenária", agenda="", starts_at=start,
            ends_at=start + timedelta(hours=1), place="Recife",
        )  # fmt: skip
        db.session.add(MeetingAttendance(meeting_id=meeting.id, seat_id=advocates.id))
        db.session.commit()
    login_as(convenor)
    data = _data(seats, meeting_id=str(meeting.id), supported=[str(advocates.id)], abstained=[])
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 302
    decision = db.session.scalars(sa.select(SpaceDecision)).one()
    reader = client.application.test_client()
    reader.set_cookie("lang", "en")
    html = reader.get(f"/governance/decisions/{decision.id}").get_data(as_text=True)
    assert "No government seat present" in html and "No civil society seat present" not in html
    html = reader.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "No government seat present" in html

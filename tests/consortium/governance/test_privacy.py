"""A person's seats and contributions are in their data download; deleting the account removes their
seats and unlinks their contributions, which stay in the public record."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import personal_data
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Seat, SeatRole
from tests.consortium.governance.contributing import written
from tests.factories import PASSWORD


def test_seats_and_contributions_are_exported_then_erased(
    client, submit, login_as, space, seat_in, make_consultation, db
):
    consultation = make_consultation(space)
    person = seat_in(space, SeatRole.MEMBER)
    written(db, consultation, person, "Mi idea")
    db.session.commit()
    data = personal_data.export(person)["governance"]
    assert [s["role"] for s in data["seats"]] == ["member"]
    assert [c["body"] for c in data["contributions"]] == ["Mi idea"]
    login_as(person)
    response = submit("/account/delete", {"current": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(sa.select(Seat).where(Seat.user_id == person.id)).all() == []
    (kept,) = db.session.scalars(sa.select(Contribution)).all()
    assert (kept.body, kept.author_id) == ("Mi idea", None)
    page = client.application.test_client().get(f"/governance/consultations/{consultation.id}")
    assert "Mi idea" in page.get_data(as_text=True)


def test_follows_are_exported_then_erased(submit, login_as, space, member, db):
    from consortium import transaction
    from consortium.governance import services
    from consortium.governance.records import SpaceFollow

    with transaction.writing():
        services.follow(space, member)
        db.session.commit()
    assert [f["space_id"] for f in personal_data.export(member)["governance"]["follows"]] == [space.id]
    login_as(member)
    assert submit("/account/delete", {"current": PASSWORD, "confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(sa.select(SpaceFollow)).all() == []


def test_a_deleted_accounts_votes_stay_in_the_decision_record(client, submit, login_as, space, seat_in, db):
    from consortium import transaction
    from consortium.governance import services
    from consortium.governance.records import DecisionMethod, Position, SpaceDecision

    person = seat_in(space, SeatRole.MEMBER, sector="academia")
    seat = db.session.scalars(sa.select(Seat).where(Seat.user_id == person.id)).one()
    organisation = seat.organisation.name
    with transaction.writing():
        services.record_decision(
            space,
            by=None,
            text="Sí.",
            rationale="Porque.",
            language="es",
            positions={seat.id: Position.OPPOSED},
            method=DecisionMethod.VOTE,
        )
        db.session.commit()
    login_as(person)
    assert submit("/account/delete", {"current": PASSWORD, "confirm": "y"}).status_code == 302
    db.session.expire_all()
    (decision,) = db.session.scalars(sa.select(SpaceDecision)).all()
    (vote,) = decision.votes
    assert (vote.seat_id, vote.sector.value, vote.position) == (None, "academia", Position.OPPOSED)
    html = (
        client.application.test_client()
        .get(f"/governance/spaces/{space.id}/decisions")
        .get_data(as_text=True)
    )
    assert organisation in html

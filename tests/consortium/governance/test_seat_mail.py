"""A person is told by e-mail, in their language, when they are given a seat and when its term is ended."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.governance.models import Seat
from tests.conftest import hidden_fields
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _candidate(db, locale="pt_BR"):
    person = UserFactory(email="nina@example.org", name="Nina Navarro", locale=locale)
    organisation = OrganisationFactory(name="Fundação Aberta")
    MembershipFactory(user=person, organisation=organisation)
    db.session.commit()
    return person, organisation


def _grant(submit, space, organisation, **overrides):
    data = {
        "email": "nina@example.org",
        "organisation_id": str(organisation.id),
        "sector": "advocates",
        "role": "member",
        "term_starts_on": "2026-01-01",
        "term_ends_on": "",
        "interests": "Nenhum.",
        **overrides,
    }
    return submit(f"/governance/spaces/{space.id}/seats/new", data)


def test_a_granted_seat_mails_the_person_in_their_language(
    login_as, space, convenor, submit, mail_outbox, db
):
    _person, organisation = _candidate(db)
    login_as(convenor)
    assert _grant(submit, space, organisation).status_code == 302
    (message,) = mail_outbox()
    assert message.to_email == "nina@example.org" and message.locale == "pt_BR"
    assert message.template == "governance/seat_granted"
    assert "Fundação Aberta" in message.body_text and "Espaço do Pix" in message.body_text
    assert f"/governance/spaces/{space.id}" in message.body_text
    assert "Nina" not in message.subject  # no user text in headers


def test_a_refused_seat_sends_nothing(login_as, space, convenor, submit, mail_outbox, db):
    _person, organisation = _candidate(db)
    login_as(convenor)
    _grant(submit, space, organisation, term_starts_on="2027-01-01", term_ends_on="2026-01-01")
    assert mail_outbox() == []
    assert db.session.scalars(sa.select(Seat).where(Seat.role != "convenor")).all() == []


def test_ending_a_seat_mails_the_person_once(client, login_as, space, convenor, seat_in, mail_outbox, db):
    holder = seat_in(space, user=UserFactory(locale="en"))
    seat = db.session.scalars(sa.select(Seat).where(Seat.user_id == holder.id)).one()
    login_as(convenor)
    page, action = f"/governance/spaces/{space.id}/roster", f"/governance/seats/{seat.id}/end"
    for _ in range(2):  # the second end changes nothing and tells nobody again
        fields = hidden_fields(client.get(page).get_data(as_text=True), action)
        assert client.post(action, data=fields).status_code == 302
    (message,) = mail_outbox()
    assert (message.to_email, message.locale, message.template) == (
        holder.email,
        "en",
        "governance/seat_ended",
    )
    assert "ended on" in message.body_text

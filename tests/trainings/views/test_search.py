"""Check-in and registrant lists find people and organisations whatever the accents and case typed."""

from __future__ import annotations

import pytest

from consortium.db import db
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Registration, RegistrationState

PEOPLE = ("María Quispe", "Pedro Peña", "João Silva", "Zoe Ortiz")


@pytest.fixture
def listed(staff):
    training = make_training()
    nandu = OrganisationFactory(name="Colectivo Ñandú")
    other = OrganisationFactory(name="Red Andina")
    for name in PEOPLE:
        person = make_member(nandu if name == "Zoe Ortiz" else other, name=name)
        db.session.add(
            Registration(
                training_id=training.id,
                user_id=person.id,
                organisation_id=person.memberships[0].organisation_id,
                state=RegistrationState.CONFIRMED,
            )
        )
    db.session.commit()
    return training


def _found(html: str) -> set[str]:
    return {name for name in PEOPLE if name in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("maria", {"María Quispe"}),
        ("MARÍA", {"María Quispe"}),
        ("pena", {"Pedro Peña"}),
        ("joao", {"João Silva"}),
        ("nandu", {"Zoe Ortiz"}),  # by the organisation's name
        ("ÑANDU", {"Zoe Ortiz"}),
        ("%", set()),  # LIKE's wildcards are searched as typed
        ("_", set()),
    ],
)
@pytest.mark.parametrize("page", ["check-in", "registrations"])
def test_lists_search_without_accents_or_case(client, login_as, staff, listed, query, expected, page):
    login_as(staff)
    session = listed.sessions[0]
    url = (
        f"/trainings/{listed.id}/sessions/{session.id}/check-in"
        if page == "check-in"
        else f"/trainings/{listed.id}/registrations"
    )
    response = client.get(url, query_string={"q": query})
    assert response.status_code == 200
    assert _found(response.get_data(as_text=True)) == expected

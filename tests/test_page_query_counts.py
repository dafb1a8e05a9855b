"""Every page `make bench` measures runs the same number of queries whatever the size of the data (issue 14).

Each page is requested once on a small database and once after more of everything was added
(organisations and members, trainings with registrations, library guides that match the search).
The catalogue, the wizard step and the team's results have their own guards next to their views
(tests/trainings/views/test_catalogue.py, tests/safeguards/views/test_wizard.py, test_results.py), the
roadmap pages theirs in tests/safeguards/roadmap/test_page_queries.py and the governance space and
consultation theirs in tests/consortium/governance/test_page_queries.py.
"""

from __future__ import annotations

import pytest

from consortium.db import db
from consortium.users import services as user_services
from tests.consortium.library.conftest import make_resource  # noqa: F401 - registers the library's fixture here
from tests.factories import OrganisationFactory, UserFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Registration, RegistrationState

PAGES = {
    "home": ("GET", "/", None),
    "log-in form": ("GET", "/login", None),
    "organisations list": ("GET", "/organisations", None),
    "home (signed in)": ("GET", "/", "member"),
    "my home (signed in)": ("GET", "/home", "member"),
    "staff home (what waits for them, counted in one statement)": ("GET", "/home", "staff"),
    "governance spaces": ("GET", "/governance", None),
    "staff review queue": ("GET", "/safeguards/review", "staff"),
    "staff item conversations": ("GET", "/safeguards/threads", "staff"),
    "account (signed in)": ("GET", "/account", "member"),
    "training page": ("GET", "/trainings/{training}", None),
    "registration form": ("GET", "/trainings/{training}/register", "member"),
    "registration (API POST)": ("POST", "/api/v1/trainings/{training}/registrations", "token"),
    "library list": ("GET", "/library", None),
    "library guide": ("GET", "/library/es/{guide}", None),
    "library search": ("GET", "/library?q=informacion", None),
    "library search (pt_BR)": ("GET", "/library?q=identificacao&lang=pt_BR", None),
}


def _grow(make_guide, training, n: int) -> None:
    """``n`` more of everything the measured pages list, count or search."""
    for _ in range(n):
        organisation = OrganisationFactory()
        person = make_member(organisation)
        db.session.add(Registration(training=training, user=person, state=RegistrationState.CONFIRMED))
        make_training(organiser=organisation)
        make_guide({"es": ("Acceso a la información", "Guía sobre la información pública.")}, commit=False)
        make_guide({"pt_BR": ("Identificação digital", "Guia sobre identificação.")}, commit=False)
    db.session.commit()


def _token(person) -> dict:
    _record, secret = user_services.create_api_token(person, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_a_fixed_number_of_queries(
    client,
    db,
    login_as,
    make_resource,  # noqa: F811 - the fixture imported above
    count_queries,
    mail_outbox,
    name,
):
    method, path, who = PAGES[name]
    training = make_training(capacity=1000)
    guide = make_resource({"es": ("Identidad digital", "Una guía.")})
    member = make_member()
    db.session.commit()
    path = path.format(training=training.id, guide=guide.version_in("es").slug)
    if who == "member":
        login_as(member)
    elif who == "staff":
        login_as(UserFactory(staff=True))
    _grow(make_resource, training, 2)
    counts = []
    for more in (0, 6):
        _grow(make_resource, training, more)
        headers = _token(make_member()) if who == "token" else {}
        with count_queries() as queries:
            response = client.open(
                path, method=method, headers=headers, json={} if method == "POST" else None
            )
        assert response.status_code in {200, 201}, response.get_data(as_text=True)[:300]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

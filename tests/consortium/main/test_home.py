"""/home: where log-in lands; a member's own things and staff's queue, from the kernel registries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from consortium.db import utcnow
from consortium.organisations.models import Invitation, Membership, OrganisationRole
from tests.conftest import hidden_fields
from tests.consortium.library.conftest import make_resource  # noqa: F401 - the library's fixture
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Certificate, Registration, RegistrationState


def _registrations(person, count: int, *, waitlisted: int = 0) -> None:
    """``count`` upcoming trainings for ``person``; on the last one they are ``waitlisted + 1``th in line."""
    from consortium.db import db

    for n in range(count):
        training = make_training(days_ahead=5 + n)
        db.session.add(
            Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
        )
    full = make_training(days_ahead=3, title={"es": "Taller lleno", "en": "Full workshop"})
    for _ in range(waitlisted):
        other = make_member()
        db.session.add(
            Registration(
                training_id=full.id,
                user_id=other.id,
                state=RegistrationState.WAITLISTED,
                waitlisted_at=utcnow(),
            )
        )
    db.session.add(
        Registration(
            training_id=full.id,
            user_id=person.id,
            state=RegistrationState.WAITLISTED,
            waitlisted_at=utcnow() + timedelta(seconds=1),
        )
    )
    past = make_training(days_ahead=-30, title={"es": "Taller pasado", "en": "Past workshop"})
    done = Registration(training_id=past.id, user_id=person.id, state=RegistrationState.CONFIRMED)
    db.session.add(done)
    db.session.flush()
    db.session.add(Certificate(registration_id=done.id, code=f"C{done.id:06d}"))
    db.session.flush()


def test_log_in_lands_on_home_not_the_marketing_page(client, submit, member):
    response = submit("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    html = client.get("/home").get_data(as_text=True)
    assert "Hola, Marta Miembro" in html and 'href="/home" aria-current="page"' in html


def test_home_needs_a_session(client):
    response = client.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_member_sees_registrations_waiting_place_certificates_and_organisations(client, login_as, db):
    person = make_member(name="Lucía Lista", locale="es")
    _registrations(person, 2, waitlisted=2)
    db.session.commit()
    html = login_as(person).get("/home").get_data(as_text=True)
    assert "Mis inscripciones" in html and "Taller lleno" in html
    assert (
        "puesto 3 en la lista de espera" in html and "En lista de espera" in html
    ) or "lista de espera" in html
    assert "Taller pasado" in html and "Mis certificados" in html  # past training: only as a certificate
    assert html.index("Taller lleno") < html.index("Mis certificados")
    assert "Mis organizaciones" in html and person.memberships[0].organisation.name in html
    assert "Le espera" not in html  # no staff queue for members


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_member_without_anything_is_told_what_to_do_next(client, login_as, db, language):
    person = UserFactory(locale=language)
    db.session.commit()
    html = login_as(person).get("/home").get_data(as_text=True)
    expected = {
        "es": "Todavía no pertenece a ninguna organización",
        "pt_BR": "Você ainda não faz parte de nenhuma organização",
        "en": "You do not belong to an organisation yet",
    }[language]
    assert expected in html and 'href="/organisations/new"' in html and 'href="/trainings"' in html


def test_invitation_to_my_address_is_accepted_from_home(client, login_as, db):
    person = UserFactory(locale="es")
    organisation = OrganisationFactory(name="Datos Abiertos Sur")
    db.session.add(
        Invitation(
            organisation_id=organisation.id,
            email=person.email,
            role=OrganisationRole.MEMBER,
            token_hash="x" * 64,
            expires_at=utcnow() + timedelta(days=3),
        )
    )
    db.session.commit()
    on = login_as(person)
    html = on.get("/home").get_data(as_text=True)
    assert "Invitaciones" in html and "Datos Abiertos Sur" in html
    invitation = db.session.query(Invitation).one()
    action = f"/invitations/{invitation.id}/accept"
    response = on.post(action, data=hidden_fields(html, action))
    assert (
        response.status_code == 302 and response.headers["Location"] == f"/organisations/{organisation.slug}"
    )
    assert db.session.query(Membership).filter_by(user_id=person.id, organisation_id=organisation.id).one()
    assert "Invitaciones" not in on.get("/home").get_data(as_text=True)


def test_someone_elses_invitation_cannot_be_accepted(client, login_as, db):
    stranger = UserFactory()
    organisation = OrganisationFactory()
    invitation = Invitation(
        organisation_id=organisation.id,
        email="someone@example.org",
        role=OrganisationRole.ADMIN,
        token_hash="y" * 64,
        expires_at=utcnow() + timedelta(days=3),
    )
    db.session.add(invitation)
    db.session.commit()
    on = login_as(stranger)
    html = on.get("/home").get_data(as_text=True)
    token = hidden_fields(html, "/logout")["csrf_token"]
    assert on.post(f"/invitations/{invitation.id}/accept", data={"csrf_token": token}).status_code == 404


def test_staff_queue_counts_organisations_and_translations_waiting(
    client,
    login_as,
    staff,
    db,
    make_resource,  # noqa: F811 - the fixture imported above
):
    from consortium.library.models import VersionStatus

    OrganisationFactory(verified_at=None)
    OrganisationFactory(verified_at=None)
    resource = make_resource({"es": ("Guía", "Texto"), "pt_BR": ("Guia", "Texto")}, published=("es",))
    resource.version_in("pt_BR").status = VersionStatus.IN_REVIEW
    db.session.commit()
    html = login_as(staff).get("/home").get_data(as_text=True)
    assert "Le espera" in html
    assert '<strong class="count">2</strong> Organizaciones por verificar' in html
    assert "Traducciones por revisar" in html and 'href="/organisations?pending=1"' in html


def test_home_query_count_does_not_grow_with_what_a_person_holds(client, login_as, db, count_queries):
    person = make_member(locale="es")
    db.session.commit()
    on = login_as(person)
    counts = []
    for trainings in (1, 8):
        _registrations(person, trainings, waitlisted=trainings)
        OrganisationFactory()
        db.session.commit()
        with count_queries() as queries:
            assert on.get("/home").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9, counts  # session and user, then one per section


def test_staff_home_query_count_is_small(client, login_as, staff, db, count_queries):
    db.session.commit()
    on = login_as(staff)
    on.get("/home")
    with count_queries() as queries:
        assert on.get("/home").status_code == 200
    # Session, user and memberships in one; every work provider's counts in one statement (organisations,
    # library translations, trainings reports, safeguards submissions and publications, threads); the
    # framework versions staff still write texts for; then one per member section (organisations,
    # invitations, registrations, certificates, pilots), governance's one for both its count and its
    # section and its one for what the person follows: a fixed number whatever the data holds, and
    # however many features count.
    assert len(queries) == 9, [" ".join(q.split())[:90] for q in queries]
    (counts,) = [q for q in queries if "dissemination_reports" in q]
    assert all(table in counts for table in ("organisations", "resource_versions", "safeguards_threads"))


def test_refusal_says_why_and_what_to_do(client, login_as, member):
    html = login_as(member).get("/admin/audit").get_data(as_text=True)
    assert "Su cuenta no puede hacer esto" in html and "Qué puede hacer" in html
    assert 'href="/home"' in html


def test_report_form_refusal_explains_how_to_become_able(client, login_as, db):
    person = make_member(locale="en")
    db.session.commit()
    response = login_as(person).get("/trainings/reports/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and "What to do next" in html and 'href="/trainings"' in html


def test_registrants_csv_says_its_times_are_utc(client, login_as, staff, db):
    training = make_training()
    person = make_member()
    db.session.add(
        Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
    )
    db.session.commit()
    response = login_as(staff).get(f"/trainings/{training.id}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    column = next(i for i, name in enumerate(rows[0]) if "UTC" in name)
    assert rows[1][column].endswith("+00:00")


def test_a_browser_asking_for_favicon_ico_gets_the_sites_icon(client):
    """Browsers ask /favicon.ico for what has no page of its own (the library's Atom feed, a calendar
    file, the API's JSON): the site's icon, not a 404 in the console."""
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml" and response.data.startswith(b"<svg")
        assert response.cache_control.max_age >= 86400

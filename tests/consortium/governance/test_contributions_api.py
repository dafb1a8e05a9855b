"""The contributions API: writing one (403 not eligible or acting for a stranger's organisation, 409 not
open, 422 with translated field errors), supporting one (201, then 200), and the consultation listing
only published contributions with their kind, language, supports and co-signers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.db import db as _db
from consortium.governance.contribution_models import Contribution, Cosignature, Support, Visibility
from consortium.governance.models import ConsultationState, Eligibility, Moderation, SeatRole
from consortium.users import services as user_services
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _auth(user, language="en") -> dict:
    _token, secret = user_services.create_api_token(user, "test")
    _db.session.commit()
    return {"Authorization": f"Bearer {secret}", "Accept-Language": language}


def _url(consultation) -> str:
    return f"/api/v1/consultations/{consultation.id}/contributions"


@pytest.fixture
def consultation(space, make_consultation):
    return make_consultation(space)


def test_the_contribution_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {
        "/api/v1/consultations/{consultation_id}/contributions",
        "/api/v1/contributions/{contribution_id}/supports",
    } <= set(paths)


def test_a_seat_holder_contributes_for_their_organisation(client, space, seat_in, consultation, db):
    person = seat_in(space)
    organisation_id = person.memberships[0].organisation_id
    section = consultation.sections[1]
    body = {
        "section_id": section.id,
        "kind": "evidence",
        "body": "El informe del MED.",
        "language": "pt_BR",
        "organisation_id": organisation_id,
        "link": "https://example.org/med",
    }
    response = client.post(_url(consultation), json=body, headers=_auth(person))
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert (item["kind"], item["language"], item["section"], item["visibility"]) == (
        "evidence",
        "pt_BR",
        2,
        "published",
    )
    stored = db.session.scalars(sa.select(Contribution)).one()
    assert (stored.organisation_id, stored.link) == (organisation_id, "https://example.org/med")


def test_the_language_defaults_to_the_authors(client, space, seat_in, consultation, db):
    person = seat_in(space, user=UserFactory(locale="pt_BR"))
    body = {"section_id": consultation.sections[0].id, "body": "Texto"}
    assert client.post(_url(consultation), json=body, headers=_auth(person)).get_json()["language"] == "pt_BR"


def test_someone_not_eligible_gets_403_with_the_reason(client, space, consultation, member):
    body = {"section_id": consultation.sections[0].id, "body": "Texto"}
    response = client.post(_url(consultation), json=body, headers=_auth(member))
    assert response.status_code == 403 and "ocupan un puesto" in response.get_json()["message"]
    assert client.post(_url(consultation), json=body).status_code == 401


def test_acting_for_an_organisation_one_is_not_in_is_403(client, space, seat_in, consultation, db):
    person, stranger = seat_in(space), OrganisationFactory()
    _db.session.commit()
    body = {"section_id": consultation.sections[0].id, "body": "Texto", "organisation_id": stranger.id}
    assert client.post(_url(consultation), json=body, headers=_auth(person)).status_code == 403
    assert db.session.scalars(sa.select(Contribution)).all() == []


def test_a_closed_consultation_answers_409(client, space, seat_in, consultation, db):
    person = seat_in(space)
    consultation.state = ConsultationState.CLOSED
    _db.session.commit()
    body = {"section_id": consultation.sections[0].id, "body": "Texto"}
    assert client.post(_url(consultation), json=body, headers=_auth(person)).status_code == 409


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"section_id": None, "body": "Texto"}, "section_id", "Este campo es obligatorio."),
        ({"section_id": 999_999, "body": "Texto"}, "section_id", "no tiene esa sección"),
        ({"body": "   "}, "body", "Este campo es obligatorio."),
        ({"kind": "rumor", "body": "Texto"}, "kind", "Elija"),
        ({"body": "Texto", "link": "https://example.org"}, "link", "Solo las evidencias"),
        ({"body": "Texto", "language": "fr"}, "language", "Elija"),
    ],
)
def test_invalid_fields_answer_422_in_the_callers_language(
    client, space, seat_in, consultation, body, field, message
):
    person = seat_in(space)
    data = {"section_id": consultation.sections[0].id, **body}
    if data["section_id"] is None:
        del data["section_id"]
    response = client.post(_url(consultation), json=data, headers=_auth(person, "es"))
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"][field]
    assert any(message in error for error in errors), errors


def test_support_is_201_then_200_and_listed_with_the_cosigners(client, space, seat_in, make_consultation, db):
    consultation = make_consultation(space, eligibility=Eligibility.PUBLIC)
    author = seat_in(space)
    other = OrganisationFactory(name="Red de Consumidores")
    supporter = UserFactory()
    MembershipFactory(user=supporter, organisation=other)
    _db.session.commit()
    body = {"section_id": consultation.sections[0].id, "kind": "proposal", "body": "Propuesta"}
    contribution_id = client.post(_url(consultation), json=body, headers=_auth(author)).get_json()["id"]
    _db.session.add(
        Cosignature(contribution_id=contribution_id, organisation_id=other.id, user_id=supporter.id)
    )
    _db.session.commit()
    url = f"/api/v1/contributions/{contribution_id}/supports"
    headers = _auth(supporter)
    first, second = client.post(url, headers=headers), client.post(url, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json() == second.get_json() == {"contribution_id": contribution_id, "supports": 1}
    assert len(db.session.scalars(sa.select(Support)).all()) == 1
    (item,) = client.get(f"/api/v1/consultations/{consultation.id}").get_json()["contributions"]
    assert (item["kind"], item["supports"], item["cosigners"]) == ("proposal", 1, ["Red de Consumidores"])


def test_only_published_contributions_are_listed(client, space, seat_in, make_consultation, db):
    consultation = make_consultation(space, moderation=Moderation.PRE)
    author = seat_in(space)
    body = {"section_id": consultation.sections[0].id, "body": "Por moderar"}
    answer = client.post(_url(consultation), json=body, headers=_auth(author))
    assert answer.status_code == 201 and answer.get_json()["visibility"] == "pending"
    listed = client.get(f"/api/v1/consultations/{consultation.id}").get_json()
    assert (listed["contributions"], listed["moderation"], listed["eligibility"]) == ([], "pre", "members")
    # nor can it be supported while it waits
    supporter = seat_in(space)
    url = f"/api/v1/contributions/{answer.get_json()['id']}/supports"
    assert client.post(url, headers=_auth(supporter)).status_code == 404
    contribution = db.session.get(Contribution, answer.get_json()["id"])
    contribution.visibility = Visibility.PUBLISHED
    _db.session.commit()
    (item,) = client.get(f"/api/v1/consultations/{consultation.id}").get_json()["contributions"]
    assert item["body"] == "Por moderar"
    assert client.post(url, headers=_auth(supporter)).status_code == 201
    observer = seat_in(space, SeatRole.OBSERVER)
    assert client.post(url, headers=_auth(observer)).status_code == 403

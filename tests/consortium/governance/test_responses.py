"""Official responses: drafted once the consultation closes by those who answer for the space, approved by
a second such person, published together (each author told), refused publication while any contribution
lacks an approved one; the response debt per institution and the "you said, we did" report."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium import transaction, worklist
from consortium.db import db as _db
from consortium.db import utcnow
from consortium.governance import reporting, services
from consortium.governance.contribution_models import Contribution, Disposition, Response
from consortium.governance.models import Consultation, ConsultationState, Seat, SeatRole, Sector
from tests.conftest import field_error, hidden_fields


def _reload(db, model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


@pytest.fixture
def closed(space, seat_in, make_consultation, db):
    """A closed consultation with two contributions by one author (``closed.author``)."""
    consultation = make_consultation(space)
    author = seat_in(space)
    author.locale = "pt_BR"
    with transaction.writing():
        for section, body in zip(consultation.sections, ("Primera idea.", "=HYPERLINK(1)"), strict=True):
            services.contribute(section, by=author, organisation_id=None, body=body)
        services.close_consultation(consultation, by=None)
        _db.session.commit()
    consultation.author = author
    return consultation


def _contributions(db):
    return db.session.scalars(sa.select(Contribution).order_by(Contribution.id)).all()


def _draft(client, contribution, **data):
    page = f"/governance/contributions/{contribution.id}/respond"
    response = client.get(page)
    if response.status_code != 200:
        return response
    fields = hidden_fields(response.get_data(as_text=True), "")
    values = {"disposition": "not_accepted", "rationale": "Fuera del mandato actual.", **data}
    return client.post(page, data={**fields, **values})


def _post(client, page, action):
    return client.post(action, data=hidden_fields(client.get(page).get_data(as_text=True), action))


def _approve(client, response):
    page = f"/governance/consultations/{response.consultation_id}"
    return _post(client, page, f"/governance/responses/{response.id}/approve")


def _step(client, consultation, step):
    page = f"/governance/consultations/{consultation.id}"
    return _post(client, page, f"{page}/{step}")


@pytest.fixture
def focal(space, seat_in):
    return seat_in(space, SeatRole.FOCAL_POINT, sector=Sector.GOVERNMENT)


@pytest.fixture
def regulator(space, seat_in):
    return seat_in(space, SeatRole.MEMBER, sector=Sector.REGULATOR)


@pytest.mark.parametrize(
    ("role", "sector"),
    [
        (SeatRole.FOCAL_POINT, Sector.ADVOCATES),
        (SeatRole.MEMBER, Sector.GOVERNMENT),
        (SeatRole.MEMBER, Sector.REGULATOR),
        (SeatRole.CONVENOR, Sector.ADVOCATES),
    ],
)
def test_those_who_answer_for_the_space_draft_and_the_consultation_starts_responding(
    client, login_as, space, seat_in, closed, role, sector, db
):
    login_as(seat_in(space, role, sector=sector))
    first, _second = _contributions(db)
    assert _draft(client, first).status_code == 302
    response = db.session.scalars(sa.select(Response)).one()
    assert [c.id for c in response.contributions] == [first.id] and not response.is_approved
    assert _reload(db, Consultation, closed.id).state is ConsultationState.RESPONDING


@pytest.mark.parametrize(
    ("role", "sector"),
    [(SeatRole.MEMBER, Sector.ADVOCATES), (SeatRole.OBSERVER, Sector.GOVERNMENT), (None, None)],
)
def test_members_observers_and_staff_cannot_draft(
    client, login_as, space, seat_in, staff, closed, role, sector, db
):
    login_as(seat_in(space, role, sector=sector) if role else staff)
    first, _second = _contributions(db)
    assert client.get(f"/governance/contributions/{first.id}/respond").status_code == 403
    assert db.session.scalars(sa.select(Response)).all() == []


def test_nobody_drafts_while_the_consultation_is_open(client, login_as, space, focal, make_consultation, db):
    consultation = make_consultation(space)
    with transaction.writing():
        services.contribute(consultation.sections[0], by=focal, organisation_id=None, body="Idea")
        _db.session.commit()
    login_as(focal)
    (contribution,) = _contributions(db)
    assert client.get(f"/governance/contributions/{contribution.id}/respond").status_code == 403


def test_reasons_are_required_unless_accepted_and_what_was_typed_stays(client, login_as, focal, closed, db):
    login_as(focal)
    first, second = _contributions(db)
    response = _draft(client, first, rationale="", commitment="Revisar en 2027")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, "rationale")
    assert "Revisar en 2027" in html and '<option selected value="not_accepted">' in html
    assert db.session.scalars(sa.select(Response)).all() == []
    assert _draft(client, second, disposition="accepted", rationale="").status_code == 302


def test_one_response_answers_similar_contributions_and_each_gets_only_one(
    client, login_as, focal, closed, db
):
    login_as(focal)
    first, second = _contributions(db)
    assert _draft(client, first, also=[second.id]).status_code == 302
    response = db.session.scalars(sa.select(Response)).one()
    assert [c.id for c in response.contributions] == [first.id, second.id]
    # a second draft for one already answered is refused, the first one unchanged
    page = f"/governance/consultations/{closed.id}"
    assert f"/governance/contributions/{second.id}/respond" not in client.get(page).get_data(as_text=True)
    assert _draft(client, second).status_code == 302
    assert len(db.session.scalars(sa.select(Response)).all()) == 1


def test_the_drafter_cannot_approve_their_own_draft_but_a_second_person_can(
    client, login_as, focal, regulator, closed, db
):
    login_as(focal)
    first, second = _contributions(db)
    _draft(client, first)
    response = db.session.scalars(sa.select(Response)).one()
    page = f"/governance/consultations/{closed.id}"
    approve = f"/governance/responses/{response.id}/approve"
    assert approve not in client.get(page).get_data(as_text=True)
    other_form = client.get(f"/governance/contributions/{second.id}/respond").get_data(as_text=True)
    token = hidden_fields(other_form, "")["csrf_token"]
    assert client.post(approve, data={"csrf_token": token}).status_code == 403
    assert not _reload(db, Response, response.id).is_approved
    login_as(regulator)
    assert approve in client.get(page).get_data(as_text=True)
    assert _approve(client, response).status_code == 302
    approved = _reload(db, Response, response.id)
    assert approved.approved_by_id == regulator.id and approved.published_at is None


def test_a_draft_edited_meanwhile_is_shown_beside_the_saved_one_and_an_approved_one_is_fixed(
    client, login_as, focal, regulator, closed, db
):
    login_as(focal)
    first, _second = _contributions(db)
    _draft(client, first)
    response = db.session.scalars(sa.select(Response)).one()
    page = f"/governance/responses/{response.id}/edit"
    mine = hidden_fields(client.get(page).get_data(as_text=True), "")
    theirs = hidden_fields(client.get(page).get_data(as_text=True), "")
    saved = client.post(page, data={**theirs, "disposition": "referred", "rationale": "Al regulador."})
    assert saved.status_code == 302
    answer = client.post(page, data={**mine, "disposition": "not_accepted", "rationale": "Mi versión."})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Al regulador." in html and "Mi versión." in html
    assert _reload(db, Response, response.id).rationale == "Al regulador."
    login_as(regulator)
    _approve(client, response)
    assert client.get(page).status_code == 403


def test_publishing_needs_an_approved_response_for_every_contribution_then_tells_each_author(
    client, login_as, space, convenor, focal, regulator, closed, mail_outbox, db
):
    first, second = _contributions(db)
    login_as(focal)
    _draft(client, first, commitment="Publicar el calendario.")
    login_as(convenor)
    response = _step(client, closed, "publish")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2" in html and "aprobada" in html  # the count, translated (Spanish by default)
    assert _reload(db, Consultation, closed.id).state is ConsultationState.RESPONDING
    login_as(regulator)
    _approve(client, db.session.scalars(sa.select(Response)).one())
    _draft(client, second, disposition="accepted", rationale="")
    login_as(focal)
    _approve(client, db.session.scalars(sa.select(Response).order_by(Response.id.desc())).first())
    login_as(convenor)
    _step(client, closed, "publish")
    published = _reload(db, Consultation, closed.id)
    assert published.state is ConsultationState.PUBLISHED and published.responses_published_at
    assert all(r.published_at for r in db.session.scalars(sa.select(Response)))
    messages = mail_outbox()
    assert [m.to_email for m in messages] == [closed.author.email] * 2
    assert "resposta oficial" in messages[0].subject  # in the author's language
    _step(client, closed, "archive")
    assert _reload(db, Consultation, closed.id).state is ConsultationState.ARCHIVED


def test_the_public_sees_only_published_responses(
    client, app, login_as, space, convenor, focal, regulator, closed, mail_outbox, db
):
    first, second = _contributions(db)
    login_as(focal)
    _draft(client, first, rationale="Razón visible más tarde.")
    _draft(client, second, disposition="accepted", rationale="")
    page, api = f"/governance/consultations/{closed.id}", f"/api/v1/consultations/{closed.id}"
    visitor = app.test_client()
    assert "Razón visible más tarde." in client.get(page).get_data(as_text=True)  # the drafter sees it
    assert "Razón visible más tarde." not in visitor.get(page).get_data(as_text=True)
    login_as(regulator)
    for response in db.session.scalars(sa.select(Response)).all():
        _approve(client, response)
    login_as(closed.author)
    assert "Razón visible más tarde." in client.get(page).get_data(as_text=True)  # approved, their own
    assert "Razón visible más tarde." not in visitor.get(page).get_data(as_text=True)
    assert [c["response"] for c in visitor.get(api).get_json()["contributions"]] == [None, None]
    assert "Razón visible más tarde." not in visitor.get(f"{page}/report").get_data(as_text=True)
    login_as(convenor)
    _step(client, closed, "publish")
    assert "Razón visible más tarde." in visitor.get(page).get_data(as_text=True)
    (item, _other) = visitor.get(api).get_json()["contributions"]
    assert item["id"] == first.id and item["response"]["disposition"] == "not_accepted"
    assert item["response"]["rationale"] == "Razón visible más tarde." and item["response"]["published_at"]


def test_the_home_of_those_who_answer_shows_what_waits(client, login_as, focal, closed, db):
    login_as(focal)
    with client.application.test_request_context():
        assert [item.count for item in worklist.waiting_for(focal)] == [2]
    html = client.get("/home").get_data(as_text=True)
    assert f"/governance/consultations/{closed.id}" in html


def test_the_response_debt_counts_per_institution_past_the_due_date(
    client, login_as, space, seat_in, focal, regulator, closed, count_queries, db
):
    seat_in(space, SeatRole.OBSERVER, sector=Sector.GOVERNMENT)  # observers owe nothing
    first, _second = _contributions(db)
    login_as(focal)
    _draft(client, first)
    focal_org = db.session.scalars(sa.select(Response)).one().organisation.name
    page = f"/governance/consultations/{closed.id}"
    assert 'id="debt-h"' not in client.get(page).get_data(as_text=True)  # not due yet
    _db.session.get(Consultation, closed.id).responses_due_at = utcnow() - timedelta(days=1)
    _db.session.commit()
    regulator_org = (
        db.session.scalars(sa.select(Seat).where(Seat.user_id == regulator.id)).one().organisation.name
    )
    assert space.timezone  # loaded before counting, as the view has it
    with count_queries() as queries:
        debt = reporting.response_debt(space)
    assert len(queries) == 1
    # the drafted one is owed by the drafter's institution; the other by each institution that answers
    assert sorted(debt) == sorted([(focal_org, 2), (regulator_org, 1)])
    for url in (page, f"/governance/spaces/{space.id}"):
        html = client.application.test_client().get(url).get_data(as_text=True)
        assert 'id="debt-h"' in html and focal_org in html and regulator_org in html


def test_the_report_lists_each_contribution_with_its_response_and_commitment_as_page_and_csv(
    client, app, login_as, convenor, focal, regulator, closed, mail_outbox, db
):
    first, second = _contributions(db)
    login_as(focal)
    _draft(
        client,
        first,
        disposition="partially_accepted",
        rationale="En parte.",
        commitment="Publicar el calendario.",
        commitment_link="https://consortium.example/roadmaps/1#a2",
    )
    _draft(client, second, disposition="out_of_scope", rationale="Otro organismo.")
    login_as(regulator)
    for response in db.session.scalars(sa.select(Response)).all():
        _approve(client, response)
    login_as(convenor)
    _step(client, closed, "publish")
    visitor = app.test_client()
    html = visitor.get(f"/governance/consultations/{closed.id}/report").get_data(as_text=True)
    for text in ("Primera idea.", "Parcialmente aceptada", "En parte.", "Publicar el calendario.", "Fuera"):
        assert text in html, text
    assert 'href="https://consortium.example/roadmaps/1#a2"' in html
    answer = visitor.get(f"/governance/consultations/{closed.id}/report.csv")
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Sección" and len(rows) == 3
    assert rows[1][3:7] == ["Primera idea.", "Parcialmente aceptada", "En parte.", "Publicar el calendario."]
    assert rows[2][3] == "'=HYPERLINK(1)"  # a formula typed in a contribution is not run
    body = visitor.get(f"/api/v1/consultations/{closed.id}/report").get_json()
    assert [row["response"]["disposition"] for row in body["rows"]] == ["partially_accepted", "out_of_scope"]
    assert body["rows"][0]["response"]["commitment_link"] == "https://consortium.example/roadmaps/1#a2"


def _token(user) -> dict:
    from consortium.users import services as users

    token = users.create_api_token(user, "test")[1]
    _db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_drafts_a_response_as_the_focal_point(client, space, seat_in, focal, closed, db):
    first, second = _contributions(db)
    url = f"/api/v1/contributions/{first.id}/responses"
    body = {"disposition": "referred", "rationale": "Al regulador.", "also": [second.id]}
    member = seat_in(space)
    answer = client.post(url, json=body, headers=_token(member))
    # translated in the caller's language (Spanish, the default)
    assert answer.status_code == 403 and "responden por el espacio" in answer.get_json()["message"]
    assert client.post(url, json={"disposition": "referred"}, headers=_token(focal)).status_code == 422
    assert client.post(url, json={"disposition": "nada"}, headers=_token(focal)).status_code == 422
    elsewhere = client.post(url, json={**body, "also": [first.id + 100]}, headers=_token(focal))
    assert elsewhere.status_code == 422 and "no pertenecen a esta consulta" in elsewhere.get_json()["message"]
    answer = client.post(url, json=body, headers=_token(focal))
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert created["contributions"] == [first.id, second.id] and created["approved_at"] is None
    assert created["published_at"] is None and created["disposition"] == "referred"
    again = client.post(url, json=body, headers=_token(focal))
    assert again.status_code == 409 and again.get_json()["message"]
    assert client.post(url, json=body).status_code == 401


@pytest.mark.parametrize("who", ["visitor", "focal"])
def test_the_consultation_page_and_report_run_a_fixed_number_of_queries_as_responses_grow(
    client, login_as, space, seat_in, focal, make_consultation, count_queries, who, db
):
    consultation = make_consultation(space)
    if who == "focal":
        login_as(focal)
    counts = []
    for more in (2, 6):
        _db.session.commit()
        with transaction.writing():
            opened = _db.session.get(Consultation, consultation.id)
            opened.state = ConsultationState.OPEN
            made = [
                services.contribute(opened.sections[i % 2], by=seat_in(space), organisation_id=None, body="I")
                for i in range(more)
            ]
            opened.state = ConsultationState.CLOSED
            for contribution in made:
                services.draft_response(
                    contribution,
                    by=focal,
                    organisation_id=None,
                    disposition=Disposition.REFERRED,
                    rationale="R",
                )
            _db.session.commit()
        with count_queries() as queries:
            assert client.get(f"/governance/consultations/{consultation.id}").status_code == 200
            assert client.get(f"/governance/consultations/{consultation.id}/report").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

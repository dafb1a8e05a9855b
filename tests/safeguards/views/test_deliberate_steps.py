"""Deliberate steps through HTTP: submit after a summary and a confirmation; approve and publish after a
preview of what becomes public; an admin's withdrawal with a public reason."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import utcnow
from safeguards.models import AnswerStatus, Assessment, AssessmentState
from tests.safeguards.browser import press
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, in_scope_codes


def _url(assessment, tail):
    return f"/safeguards/assessments/{assessment.id}/{tail}"


def _state(db, assessment) -> AssessmentState:
    db.session.expire_all()
    return db.session.get(Assessment, assessment.id).state


def _mark(db, assessment, statuses: dict[str, AnswerStatus]):
    for code, status in statuses.items():
        answer = answer_of(db, assessment, code)
        answer.status, answer.rating = status, (2 if status is AnswerStatus.RATED else None)
        answer.justification = "No aplica"
        db.session.commit()  # answer_of expires the session: keep each change first


def test_submit_shows_what_is_handed_in_and_asks_to_confirm(
    client, login_as, lead, assessment, db, mail_outbox
):
    codes = in_scope_codes(assessment)
    _mark(db, assessment, {codes[0]: AnswerStatus.RATED, codes[1]: AnswerStatus.UNKNOWN})
    login_as(lead)
    summary = client.get(_url(assessment, "submit")).get_data(as_text=True)
    unanswered = len(codes) - 2
    assert f"1 de {len(codes)} ítems" in summary  # answered
    assert "1 ítem, contado como 0" in summary  # don't know, in the singular
    assert f"{unanswered} ítems" in summary and f"#item-{codes[2]}" in summary  # links to what is missing
    assert "0 conversaciones abiertas" in summary
    assert 'method="post"' not in summary.split("<main", 1)[1].split("</main>")[0]  # nothing submits here
    confirm = client.get(_url(assessment, "submit/confirm"))
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Sí, enviar a revisión" in html and f"{unanswered} ítems" in html
    assert _state(db, assessment) is AssessmentState.DRAFT  # looking at the confirmation changes nothing
    action, data = press(html, "Sí, enviar a revisión", {})
    response = client.post(action or _url(assessment, "submit/confirm"), data=data)
    assert response.status_code == 302 and _state(db, assessment) is AssessmentState.SUBMITTED
    assert len(mail_outbox()) == 1


def test_the_submission_summary_counts_the_open_conversations(
    client, login_as, lead, reviewer, assessment, db
):
    from consortium import transaction
    from safeguards import threads
    from safeguards.item_models import Side

    first, second = (answer_of(db, assessment, code) for code in in_scope_codes(assessment)[:2])
    with transaction.writing(), transaction.action():
        threads.post(first, "¿Quién firma el acta?", by=reviewer, side=Side.REVIEWERS)
        threads.post(second, "Falta el enlace.", by=reviewer, side=Side.REVIEWERS)
        threads.set_resolved(second, True, by=reviewer, side=Side.REVIEWERS)
    login_as(lead)
    for tail in ("submit", "submit/confirm"):
        assert "1 conversación abierta todavía" in client.get(_url(assessment, tail)).get_data(as_text=True)


def test_the_old_one_click_submission_is_gone(client, login_as, csrf_token, lead, assessment, db):
    login_as(lead)
    token = csrf_token(page=f"/safeguards/pilots/{assessment.pilot_id}")
    assert client.post(_url(assessment, "submit"), data={"csrf_token": token}).status_code == 405
    assert _state(db, assessment) is AssessmentState.DRAFT


@pytest.fixture
def submitted(assessment, db):
    answer_all(assessment, rating=1)
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    return assessment


def test_approve_shows_exactly_what_becomes_public_then_approves(
    client, login_as, reviewer, submitted, db, mail_outbox
):
    code = in_scope_codes(submitted)[0]
    answer = answer_of(db, submitted, code)
    answer.evidence, answer.confidence = "Acta del comité de datos", "Bastante seguros"
    db.session.commit()
    login_as(reviewer)
    review = _url(submitted, "review")
    typed = {f"r{answer.id}-reviewer_comment": "Falta el anexo", "note": "Buen trabajo"}
    action, data = press(client.get(review).get_data(as_text=True), "approve", typed)
    preview = client.post(action or review, data=data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and _state(db, submitted) is AssessmentState.SUBMITTED
    assert answer_of(db, submitted, code).reviewer_comment == "Falta el anexo"  # the review is saved
    for shown in ("Acta del comité de datos", "Bastante seguros", "Falta el anexo", "CC BY 4.0"):
        assert shown in html
    assert reviewer.email not in html and submitted.pilot.team[0].user.email not in html
    action, data = press(html, "confirm", {})
    assert data["note"] == "Buen trabajo"
    assert client.post(action, data=data).status_code == 302
    assessment = db.session.get(Assessment, submitted.id)
    assert assessment.state is AssessmentState.APPROVED and assessment.review_note == "Buen trabajo"


def test_an_approval_on_an_outdated_preview_approves_nothing(app, client, login_as, reviewer, submitted, db):
    login_as(reviewer)
    html = client.get(_url(submitted, "approve")).get_data(as_text=True)
    action, data = press(html, "confirm", {"note": "Aprobado"})
    code = in_scope_codes(submitted)[0]
    answer = answer_of(db, submitted, code)
    answer.reviewed_rating, answer.version = 0, answer.version + 1  # another reviewer saved meanwhile
    db.session.commit()
    response = client.post(action, data=data)
    assert response.status_code == 409 and _state(db, submitted) is AssessmentState.SUBMITTED
    page = response.get_data(as_text=True)
    assert "Aprobado" in page  # what was typed is kept, and the preview now shows the change
    assert press(page, "confirm", {})[1]["seen"] != data["seen"]


def test_only_the_assessments_reviewers_reach_the_approval(app, login_as, staff, lead, submitted):
    for user in (staff, lead):
        other = login_as(user, on=app.test_client())
        assert other.get(_url(submitted, "approve")).status_code in (403, 404)


@pytest.fixture
def approved(assessment, db):
    answer_all(assessment, rating=3)
    assessment.state, assessment.review_note = AssessmentState.APPROVED, "Revisado por el consorcio"
    db.session.commit()
    return assessment


def test_publish_shows_a_preview_and_publishes_only_when_confirmed(
    app, client, login_as, staff, approved, db, mail_outbox
):
    login_as(staff)
    results = client.get(_url(approved, "results")).get_data(as_text=True)
    assert f'href="{_url(approved, "publish")}"' in results  # a link to the preview, not a one-click form
    page = client.get(_url(approved, "publish"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and _state(db, approved) is AssessmentState.APPROVED
    assert "Revisado por el consorcio" in html and "Informe" in html and "https://example.org" in html
    action, data = press(html, "Publicar ahora", {})
    assert client.post(action or _url(approved, "publish"), data=data).status_code == 302
    assert _state(db, approved) is AssessmentState.PUBLISHED
    assert app.test_client().get(_url(approved, "results")).status_code == 200


def test_publishing_needs_staff(app, login_as, lead, approved):
    team = login_as(lead, on=app.test_client())
    assert team.get(_url(approved, "publish")).status_code == 403


@pytest.fixture
def published(approved, db):
    approved.state = AssessmentState.PUBLISHED
    db.session.commit()
    return approved


def test_only_an_admin_withdraws_and_only_with_a_reason(
    app, client, login_as, staff, lead, admin, published, db, mail_outbox
):
    for user in (staff, lead):
        other = login_as(user, on=app.test_client())
        assert other.get(_url(published, "withdraw")).status_code == 403
    assert app.test_client().get(_url(published, "withdraw")).status_code == 302  # to the log-in
    login_as(admin)
    html = client.get(_url(published, "results")).get_data(as_text=True)
    assert f'href="{_url(published, "withdraw")}"' in html
    page = client.get(_url(published, "withdraw")).get_data(as_text=True)
    action, data = press(page, "confirm", {"reason": "  "})
    response = client.post(action or _url(published, "withdraw"), data=data)
    assert response.status_code == 422 and _state(db, published) is AssessmentState.PUBLISHED
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    action, data = press(page, "confirm", {"reason": "Los datos de F4 eran de otro sistema."})
    assert client.post(action or _url(published, "withdraw"), data=data).status_code == 302
    assessment = db.session.get(Assessment, published.id)
    assert assessment.state is AssessmentState.WITHDRAWN and assessment.withdrawn_at is not None
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "safeguards.assessment_withdrawn")
    ).all()
    assert len(events) == 1
    assert {m.to_email for m in mail_outbox()} == {lead.email}  # the team is told


def test_a_withdrawn_assessment_says_so_publicly_and_its_open_data_keeps_the_record(
    app, login_as, admin, published, db, mail_outbox
):
    published.state, published.withdrawal_reason = AssessmentState.WITHDRAWN, "Datos de otro sistema."
    published.withdrawn_at = utcnow()
    db.session.commit()
    anonymous = app.test_client()
    page = anonymous.get(_url(published, "results"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Retirada" in html or "retiró" in html
    assert "Datos de otro sistema." in html and "https://example.org" not in html
    data = anonymous.get(_url(published, "data.json")).get_json()
    assert data["state"] == "withdrawn" and data["withdrawal_reason"] == "Datos de otro sistema."
    assert data["withdrawn_at"] and data["answers"] == [] and data["scores"]["reviewed"]["overall"] is None
    api = anonymous.get(f"/api/v1/assessments/{published.id}").get_json()
    assert api["state"] == "withdrawn" and api["withdrawal_reason"] == "Datos de otro sistema."
    assert api["answers"] == []
    listed = anonymous.get("/api/v1/assessments").get_json()
    assert [a["state"] for a in listed] == ["withdrawn"]
    csv = anonymous.get(_url(published, "answers.csv")).get_data(as_text=True)
    assert "https://example.org" not in csv
    index = anonymous.get("/safeguards").get_data(as_text=True)
    assert "Resultados retirados" in index and _url(published, "results") in index


def test_withdrawing_is_refused_unless_published(client, login_as, csrf_token, admin, approved, db):
    login_as(admin)
    assert client.get(_url(approved, "withdraw")).status_code == 302
    token = csrf_token(page=f"/safeguards/pilots/{approved.pilot_id}")
    response = client.post(_url(approved, "withdraw"), data={"csrf_token": token, "reason": "Error"})
    assert response.status_code == 409 and _state(db, approved) is AssessmentState.APPROVED


def test_the_team_is_told_of_the_withdrawal_with_its_reason_and_can_start_again(
    app, client, login_as, submit, admin, lead, published, db, smtp
):
    from consortium.mail import deliver_pending

    lead.locale = "en"
    db.session.commit()
    login_as(admin)
    submit(_url(published, "withdraw"), {"reason": "The F4 data came from another system."})
    deliver_pending()
    body = smtp[0].get_body(("plain",)).get_content()
    assert "withdrawn from publication" in body and "The F4 data came from another system." in body
    team = login_as(lead, on=app.test_client())
    pilot = f"/safeguards/pilots/{published.pilot_id}"
    action, data = press(team.get(pilot).get_data(as_text=True), "Start a new cycle", {})
    assert team.post(action, data=data).status_code == 302
    db.session.expire_all()
    assert [a.cycle for a in published.pilot.assessments] == [1, 2]

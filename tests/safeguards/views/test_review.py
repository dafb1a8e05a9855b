"""Submission, review decisions and publishing through HTTP."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from safeguards.models import AssessmentState
from tests.safeguards.browser import press
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, in_scope_codes, step_url


def _submit(client, submit, assessment):
    return submit(f"/safeguards/assessments/{assessment.id}/submit/confirm", {})


def _approve(rclient, assessment, note=""):
    """Press Approve on the review page, then confirm on the preview it leads to."""
    review_url = f"/safeguards/assessments/{assessment.id}/review"
    action, data = press(rclient.get(review_url).get_data(as_text=True), "approve", {"note": note})
    preview = rclient.post(action or review_url, data=data)
    assert preview.status_code == 200
    action, data = press(preview.get_data(as_text=True), "confirm", {})
    return rclient.post(action, data=data)


def test_submit_locks_review_requests_changes_then_approves(
    client, app, login_as, submit, lead, reviewer, assessment, db, mail_outbox
):
    answer_all(assessment, rating=1)
    login_as(lead)
    assert _submit(client, submit, assessment).status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.SUBMITTED
    assert [m.to_email for m in mail_outbox()] == [reviewer.email]
    # locked for the team: pages redirect to the results and autosave refuses
    code = in_scope_codes(assessment)[0]
    assert client.get(step_url(assessment, code.split(".")[0])).status_code == 302

    rclient = login_as(reviewer, on=app.test_client())
    review_url = f"/safeguards/assessments/{assessment.id}/review"
    prefix = f"r{answer_of(db, assessment, code).id}"
    response = submit(
        review_url,
        {f"{prefix}-reviewed_rating": "0", f"{prefix}-reviewer_comment": "Sin evidencia"},
        on=rclient,
    )
    assert response.status_code == 302
    answer = answer_of(db, assessment, code)
    assert answer.reviewed_rating == 0 and answer.reviewer_comment == "Sin evidencia"
    response = submit(review_url, {"note": "Falta evidencia en F4", "request_changes": "1"}, on=rclient)
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.CHANGES_REQUESTED
    assert lead.email in [m.to_email for m in mail_outbox()]
    assert "Falta evidencia en F4" in client.get(step_url(assessment, code.split(".")[0])).get_data(
        as_text=True
    )

    assert _submit(client, submit, assessment).status_code == 302
    assert _approve(rclient, assessment).status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.APPROVED and assessment.approved_at is not None
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {
        "safeguards.assessment_submitted",
        "safeguards.assessment_changes_requested",
        "safeguards.assessment_approved",
    } <= actions


def test_approved_assessment_is_immutable(client, login_as, csrf_token, submit, lead, admin, assessment, db):
    answer_all(assessment)
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    code = in_scope_codes(assessment)[0]
    version = answer_of(db, assessment, code).version
    for user in (lead, admin):
        login_as(user)
        token = csrf_token(page=f"/safeguards/pilots/{assessment.pilot_id}")
        response = client.post(
            f"/safeguards/assessments/{assessment.id}/answers/{code}",
            json={"choice": "0", "version": version},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 409
        assert response.get_json()["message"] == "Esta evaluación está bloqueada: ya se envió o se aprobó."
    answer = answer_of(db, assessment, code)
    assert (answer.rating, answer.version) == (2, version)


def test_staff_publish_approved_assessment_for_everyone(
    client, app, login_as, submit, staff, assessment, db, mail_outbox
):
    answer_all(assessment)
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    anonymous = app.test_client()
    results = f"/safeguards/assessments/{assessment.id}/results"
    assert anonymous.get(results).status_code == 404
    login_as(staff)
    publish = f"/safeguards/assessments/{assessment.id}/publish"
    assert submit(publish, {}).status_code == 302
    db.session.refresh(assessment)
    assert assessment.state is AssessmentState.PUBLISHED
    assert anonymous.get(results).status_code == 200
    data = anonymous.get(f"/safeguards/assessments/{assessment.id}/data.json").get_json()
    assert (
        data["licence"] == "CC BY 4.0" and data["answers"] and data["scores"]["reviewed"]["overall"] == 50.0
    )
    assert "CC BY 4.0" in anonymous.get("/safeguards").get_data(
        as_text=True
    ) or assessment.pilot.title in anonymous.get("/safeguards").get_data(as_text=True)


def test_state_change_mail_reaches_reviewers_in_their_language(
    client, login_as, submit, lead, reviewer, assessment, db, smtp
):
    from consortium.mail import deliver_pending

    reviewer.locale = "en"
    db.session.commit()
    answer_all(assessment)
    login_as(lead)
    _submit(client, submit, assessment)
    deliver_pending()
    assert [m["To"] for m in smtp] == [f"{reviewer.name} <{reviewer.email}>"] or reviewer.email in smtp[0][
        "To"
    ]
    body = smtp[0].get_body(("plain",)).get_content()
    assert "submitted cycle 1" in body and f"/safeguards/assessments/{assessment.id}" in body

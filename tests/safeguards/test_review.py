"""The review page: ratings, comments and the decision are one form and one action."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from safeguards import framework as fw
from safeguards import services
from safeguards.models import Answer, Assessment, AssessmentState
from tests.factories import UserFactory
from tests.safeguards.browser import press
from tests.safeguards.conftest import answer_all


@pytest.fixture
def submitted(assessment, db):
    answer_all(assessment, rating=1)
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    return assessment


def _answers(db, assessment) -> list[Answer]:
    """The in-scope answers, in the order the page shows them."""
    db.session.rollback()
    idx = fw.index(assessment.framework_id)
    return [i.answer for i in services.items(assessment, idx) if i.in_scope]


def _page(assessment) -> str:
    return f"/safeguards/assessments/{assessment.id}/review"


def _press(client, assessment, button, typed):
    page = _page(assessment)
    action, data = press(client.get(page).get_data(as_text=True), button, typed)
    return client.post(action or page, data=data)


def _typed(first: Answer, second: Answer, **extra) -> dict:
    return {
        f"r{first.id}-reviewed_rating": "0",
        f"r{first.id}-reviewer_comment": "No hay acta que lo muestre",
        f"r{second.id}-reviewer_comment": "Enlace roto",
        **extra,
    }


@pytest.mark.parametrize(
    ("button", "state"),
    [("Solicitar cambios", AssessmentState.CHANGES_REQUESTED), ("approve", AssessmentState.APPROVED)],
)
def test_a_decision_saves_the_ratings_and_comments_typed_with_it(
    client, login_as, reviewer, submitted, db, mail_outbox, button, state
):
    first, second = _answers(db, submitted)[:2]
    login_as(reviewer)
    response = _press(client, submitted, button, _typed(first, second, note="Revisen F4"))
    if state is AssessmentState.APPROVED:  # the review is saved; the approval waits for its confirmation
        assert response.status_code == 200
        assert db.session.get(Assessment, submitted.id).state is AssessmentState.SUBMITTED
        action, data = press(response.get_data(as_text=True), "confirm", {})
        assert data["note"] == "Revisen F4"  # what was typed on the review page is carried over
        response = client.post(action or _page(submitted), data=data)
    assert response.status_code == 302
    first, second = _answers(db, submitted)[:2]
    assert (first.reviewed_rating, first.reviewer_comment) == (0, "No hay acta que lo muestre")
    assert (second.reviewed_rating, second.reviewer_comment) == (None, "Enlace roto")
    assessment = db.session.get(Assessment, submitted.id)
    assert assessment.state is state and assessment.review_note == "Revisen F4"


@pytest.mark.parametrize("button", ["Guardar la revisión", "Solicitar cambios", "approve"])
def test_an_invalid_rating_saves_nothing_and_keeps_every_value_typed(
    client, login_as, reviewer, submitted, db, mail_outbox, button
):
    first, second = _answers(db, submitted)[:2]
    before = [(a.id, a.version) for a in _answers(db, submitted)]
    login_as(reviewer)
    typed = _typed(first, second, note="Revisen F4")
    typed[f"r{first.id}-reviewed_rating"] = "7"  # not a rating: only a forged request sends it
    typed[f"r{second.id}-reviewed_rating"] = "3"
    response = _press(client, submitted, button, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Elija una calificación de 0 a 4." in html
    assert re.search(f'<select[^>]*aria-invalid="true"[^>]*id="r{first.id}-reviewed_rating"', html)
    assert "No hay acta que lo muestre" in html and "Enlace roto" in html and "Revisen F4" in html
    assert '<option selected value="3">' in html
    assert "Se guardó la revisión." not in html
    assert [(a.id, a.version) for a in _answers(db, submitted)] == before
    assert db.session.get(Assessment, submitted.id).state is AssessmentState.SUBMITTED
    assert not mail_outbox()


def test_requesting_changes_without_a_note_keeps_the_typed_review(client, login_as, reviewer, submitted, db):
    first, second = _answers(db, submitted)[:2]
    login_as(reviewer)
    response = _press(client, submitted, "Solicitar cambios", _typed(first, second, note=" "))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Indique al equipo qué debe cambiar." in html and "No hay acta que lo muestre" in html
    assert _answers(db, submitted)[0].reviewer_comment == ""
    assert db.session.get(Assessment, submitted.id).state is AssessmentState.SUBMITTED


def test_saving_the_review_keeps_the_assessment_waiting(client, login_as, reviewer, submitted, db):
    first, second = _answers(db, submitted)[:2]
    login_as(reviewer)
    response = _press(client, submitted, "Guardar la revisión", _typed(first, second))
    assert response.status_code == 302 and response.headers["Location"].endswith(_page(submitted))
    first, second = _answers(db, submitted)[:2]
    assert first.reviewed_rating == 0 and second.reviewer_comment == "Enlace roto"
    assert db.session.get(Assessment, submitted.id).state is AssessmentState.SUBMITTED
    assert not db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("%approved"))
    )


def test_an_item_another_reviewer_changed_meanwhile_saves_nothing(
    app, client, login_as, reviewer, submitted, db, mail_outbox
):
    colleague = UserFactory(staff=True, name="Rosa Revisora")
    services.add_member(submitted.pilot, colleague, services.TeamRole.REVIEWER)
    db.session.commit()
    first, second = _answers(db, submitted)[:2]
    login_as(reviewer)
    page = client.get(_page(submitted)).get_data(as_text=True)  # opened before Rosa saves
    other = login_as(colleague, on=app.test_client())
    assert (
        _press(
            other, submitted, "Guardar la revisión", {f"r{first.id}-reviewer_comment": "De Rosa"}
        ).status_code
        == 302
    )
    action, data = press(page, "approve", _typed(first, second))
    response = client.post(action or _page(submitted), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "De Rosa" in html and "No hay acta que lo muestre" in html and "Enlace roto" in html
    first, second = _answers(db, submitted)[:2]
    assert first.reviewer_comment == "De Rosa" and second.reviewer_comment == ""
    assert db.session.get(Assessment, submitted.id).state is AssessmentState.SUBMITTED
    assert not mail_outbox()

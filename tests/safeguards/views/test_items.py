"""An item's thread through HTTP: who reads and writes, open and resolved, counts, what awaits a reply."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium import worklist
from safeguards.item_models import ItemThread, MessageKind, Side, ThreadMessage
from safeguards.models import AssessmentState
from tests.conftest import hidden_fields
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, client_as, in_scope_codes, step_url


def item_url(assessment, code: str) -> str:
    return f"/safeguards/assessments/{assessment.id}/items/{code}"


def post_message(client, assessment, code: str, body: str, back: str = "item"):
    page = client.get(item_url(assessment, code))
    assert page.status_code == 200
    fields = hidden_fields(page.get_data(as_text=True), item_url(assessment, code) + "/messages")
    return client.post(item_url(assessment, code) + "/messages", data={**fields, "body": body, "back": back})


def set_resolved(client, assessment, code: str, resolved: bool):
    page = client.get(item_url(assessment, code)).get_data(as_text=True)
    fields = hidden_fields(page, item_url(assessment, code) + "/resolve")
    fields["resolved"] = "1" if resolved else "0"
    return client.post(item_url(assessment, code) + "/resolve", data=fields)


def thread_of(db, assessment, code) -> ItemThread | None:
    answer = answer_of(db, assessment, code)
    return db.session.scalar(sa.select(ItemThread).where(ItemThread.answer_id == answer.id))


@pytest.fixture
def under_review(assessment, db):
    answer_all(assessment, rating=1)
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    return assessment


READ = {"team": 200, "reviewer": 200, "admin": 200, "other_team": 404, "staff": 404, "anonymous": 302}


@pytest.mark.parametrize("role", list(READ))
def test_who_reads_an_item_under_review(app, login_as, people, under_review, role):
    code = in_scope_codes(under_review)[0]
    response = client_as(role, app, login_as, people).get(item_url(under_review, code))
    assert response.status_code == READ[role]
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("team", 200), ("reviewer", 200), ("staff", 200), ("other_team", 404), ("anonymous", 302)],
)
def test_staff_read_the_threads_of_an_approved_assessment(
    app, login_as, people, under_review, db, role, status
):
    under_review.state = AssessmentState.APPROVED
    db.session.commit()
    code = in_scope_codes(under_review)[0]
    client = client_as(role, app, login_as, people)
    response = client.get(item_url(under_review, code))
    assert response.status_code == status
    if status == 200:
        assert "Añadir a la conversación" not in response.get_data(as_text=True)  # final: nobody writes


def test_published_items_keep_their_threads_private(app, login_as, people, under_review, db):
    under_review.state = AssessmentState.PUBLISHED
    db.session.commit()
    code = in_scope_codes(under_review)[0]
    assert client_as("other_team", app, login_as, people).get(item_url(under_review, code)).status_code == 404
    assert client_as("team", app, login_as, people).get(item_url(under_review, code)).status_code == 200


WRITE = {"team": 302, "reviewer": 302, "admin": 302, "other_team": 404, "staff": 404, "anonymous": 302}


@pytest.mark.parametrize("role", list(WRITE))
def test_who_writes_in_a_thread(app, login_as, people, under_review, db, role, csrf_token):
    code = in_scope_codes(under_review)[0]
    client = client_as(role, app, login_as, people)
    if role in ("team", "reviewer", "admin"):
        response = post_message(client, under_review, code, f"Mensaje de {role}")
    else:
        token = csrf_token(on=client, page="/login" if role == "anonymous" else "/account")
        response = client.post(
            item_url(under_review, code) + "/messages", data={"csrf_token": token, "body": "Intruso"}
        )
    assert response.status_code == WRITE[role]
    thread = thread_of(db, under_review, code)
    if role in ("team", "reviewer", "admin"):
        assert [m.body for m in thread.messages] == [f"Mensaje de {role}"]
        assert thread.messages[0].side is (Side.TEAM if role == "team" else Side.REVIEWERS)
    else:
        assert thread is None


def test_staff_cannot_write_even_where_they_read(app, login_as, people, under_review, db, csrf_token):
    under_review.state = AssessmentState.APPROVED
    db.session.commit()
    code = in_scope_codes(under_review)[0]
    for role in ("staff", "team"):
        client = client_as(role, app, login_as, people)
        token = csrf_token(on=client, page="/account")
        response = client.post(
            item_url(under_review, code) + "/messages", data={"csrf_token": token, "body": "x"}
        )
        assert response.status_code == 403
    assert thread_of(db, under_review, code) is None


def test_an_empty_or_overlong_message_is_refused_and_kept(client, login_as, lead, under_review, db):
    code = in_scope_codes(under_review)[0]
    login_as(lead)
    response = post_message(client, under_review, code, "   ")
    assert response.status_code == 422
    assert "Este campo es obligatorio" in response.get_data(as_text=True)
    long = "palabra " * 700
    response = post_message(client, under_review, code, long)
    assert response.status_code == 422
    assert long.strip()[:200] in response.get_data(as_text=True)
    assert thread_of(db, under_review, code) is None


def test_a_double_click_posts_once(client, login_as, lead, under_review, db):
    code = in_scope_codes(under_review)[0]
    login_as(lead)
    page = client.get(item_url(under_review, code)).get_data(as_text=True)
    fields = hidden_fields(page, item_url(under_review, code) + "/messages")
    for _ in range(2):
        response = client.post(item_url(under_review, code) + "/messages", data={**fields, "body": "Una vez"})
        assert response.status_code == 302
    assert [m.body for m in thread_of(db, under_review, code).messages] == ["Una vez"]


def test_review_comments_become_the_thread_the_team_sees_on_its_step(
    app, client, login_as, submit, lead, reviewer, under_review, db, mail_outbox
):
    code = in_scope_codes(under_review)[0]
    prefix = f"r{answer_of(db, under_review, code).id}"
    reviewer_client = login_as(reviewer, on=app.test_client())
    review = f"/safeguards/assessments/{under_review.id}/review"
    response = submit(
        review,
        {
            f"{prefix}-reviewed_rating": "0",
            f"{prefix}-reviewer_comment": "Falta el acta",
            "note": "Ver F1",
            "request_changes": "1",
        },
        on=reviewer_client,
    )
    assert response.status_code == 302
    thread = thread_of(db, under_review, code)
    assert [(m.side, m.body, m.rating) for m in thread.messages] == [(Side.REVIEWERS, "Falta el acta", 0)]
    assert thread.is_open and thread.last_side is Side.REVIEWERS
    # the review page's comment box starts empty again: the comment lives in the thread
    assert answer_of(db, under_review, code).reviewer_comment == "Falta el acta"

    login_as(lead)
    principle = code.split(".")[0]
    html = client.get(step_url(under_review, principle)).get_data(as_text=True)
    assert "Falta el acta" in html and "Calificación sugerida: 0 · Inexistente" in html
    assert "1 conversación abierta" in html  # the step list counts it
    assert f'href="/safeguards/assessments/{under_review.id}/steps/{principle}#item-{code}"' in html

    assert post_message(client, under_review, code, "Subimos el acta", back="step").status_code == 302
    assert set_resolved(client, under_review, code, True).status_code == 302
    thread = thread_of(db, under_review, code)
    assert not thread.is_open
    assert [m.kind for m in thread.messages] == [
        MessageKind.COMMENT,
        MessageKind.COMMENT,
        MessageKind.RESOLVED,
    ]
    html = client.get(step_url(under_review, principle)).get_data(as_text=True)
    assert "conversación abierta" not in html and "Resuelta" in html
    assert set_resolved(client, under_review, code, False).status_code == 302
    assert thread_of(db, under_review, code).is_open


def test_reviewer_sees_the_thread_on_the_review_page(client, login_as, lead, reviewer, under_review, db):
    code = in_scope_codes(under_review)[0]
    login_as(lead)
    post_message(client, under_review, code, "¿Alcanza con el informe anual?")
    login_as(reviewer)
    html = client.get(f"/safeguards/assessments/{under_review.id}/review").get_data(as_text=True)
    assert "¿Alcanza con el informe anual?" in html and "Conversación abierta" in html
    assert f'href="/safeguards/assessments/{under_review.id}/items/{code}?back=review#reply"' in html


def threads_waiting(user) -> list[int]:
    """The counts of "threads awaiting your reply" (other features' work items left out)."""
    return [w.count for w in worklist.waiting_for(user) if w.url == "/safeguards/threads"]


def test_threads_awaiting_a_reply_are_counted_for_each_side(
    app, client, login_as, lead, reviewer, under_review, db
):
    first, second = in_scope_codes(under_review)[:2]
    login_as(lead)
    post_message(client, under_review, first, "Pregunta 1")
    post_message(client, under_review, second, "Pregunta 2")
    with app.test_request_context():
        assert threads_waiting(reviewer) == [2]
        assert threads_waiting(lead) == []
    login_as(reviewer)
    assert post_message(client, under_review, first, "Respuesta").status_code == 302
    with app.test_request_context():
        assert threads_waiting(reviewer) == [1]
    under_review.state = AssessmentState.CHANGES_REQUESTED
    db.session.commit()
    with app.test_request_context():
        assert threads_waiting(lead) == [1]
    login_as(lead)
    html = client.get("/safeguards/threads").get_data(as_text=True)
    assert f'href="/safeguards/assessments/{under_review.id}/items/{first}#thread"' in html
    assert f"/items/{second}#thread" not in html


def test_unknown_items_answer_404(client, login_as, lead, under_review):
    login_as(lead)
    assert client.get(item_url(under_review, "NOPE")).status_code == 404
    assert client.get(f"/safeguards/assessments/{under_review.id + 99}/items/F1.1").status_code == 404


def test_message_authors_and_times_follow_the_viewer(client, login_as, lead, reviewer, under_review, db):
    code = in_scope_codes(under_review)[0]
    login_as(lead)
    post_message(client, under_review, code, "Hola")
    message = db.session.scalar(sa.select(ThreadMessage))
    reviewer.locale, reviewer.timezone = "en", "America/Sao_Paulo"
    db.session.commit()
    login_as(reviewer)
    html = client.get(item_url(under_review, code)).get_data(as_text=True)
    assert lead.name in html and "Team" in html
    from zoneinfo import ZoneInfo

    from babel.dates import format_time

    expected = format_time(message.created_at, "short", tzinfo=ZoneInfo("America/Sao_Paulo"), locale="en")
    assert expected in html  # the viewer's zone and locale (the date style names no seconds)

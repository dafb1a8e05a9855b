"""Races on threads and answer versions from several OS processes (harness: tests/safeguards/race.py)."""

from __future__ import annotations

import sqlalchemy as sa

from safeguards import services
from safeguards.item_models import AnswerVersion, ItemThread, ThreadMessage
from safeguards.models import AssessmentState
from tests.conftest import hidden_fields
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.race import Job, Repeat, Request, race
from tests.safeguards.views.conftest import answer_of, in_scope_codes, step_url

ROUNDS = 3


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_first_messages_at_once_make_one_thread(app, database_url, db, login_as, lead, reviewer, assessment):
    answer_all(assessment, rating=1)
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    codes = in_scope_codes(assessment)[:ROUNDS]
    team, reviewers = login_as(lead, on=app.test_client()), login_as(reviewer, on=app.test_client())
    jobs = []
    for client, who in ((team, "equipo"), (reviewers, "revisión")):
        rounds = []
        for code in codes:
            page = f"/safeguards/assessments/{assessment.id}/items/{code}"
            fields = hidden_fields(client.get(page).get_data(as_text=True), page + "/messages")
            rounds.append(Request("POST", page + "/messages", data={**fields, "body": f"{who} {code}"}))
        jobs.append(Job(_cookie(client), rounds))

    outcomes = race(database_url, jobs)

    assert all(o.status == 302 for job in outcomes for o in job), [o.status for job in outcomes for o in job]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemThread)) == ROUNDS
    for code in codes:
        thread = db.session.scalar(
            sa.select(ItemThread).where(ItemThread.answer_id == answer_of(db, assessment, code).id)
        )
        bodies = sorted(
            m.body
            for m in db.session.scalars(sa.select(ThreadMessage).where(ThreadMessage.thread_id == thread.id))
        )
        assert bodies == [f"equipo {code}", f"revisión {code}"]


def test_teammates_saving_one_item_at_once_number_its_versions_in_turn(
    app, database_url, db, login_as, csrf_token, lead, pilot, assessment
):
    colleague = UserFactory(name="Carla Contribuidora")
    services.add_member(pilot, colleague, services.TeamRole.CONTRIBUTOR)
    db.session.commit()
    code = in_scope_codes(assessment)[0]
    jobs = []
    for person in (lead, colleague):
        client = login_as(person, on=app.test_client())
        token = csrf_token(on=client, page=step_url(assessment, code.split(".")[0]))
        save = Request(
            "POST",
            f"/safeguards/assessments/{assessment.id}/answers/{code}",
            json={"choice": "1", "justification": "", "links": "", "confidence": ""},
            headers={"X-CSRFToken": token},
        )
        jobs.append(Job(_cookie(client), [Repeat(save, version=1, times=6, late=6)]))

    race(database_url, jobs)

    answer = answer_of(db, assessment, code)
    rows = db.session.scalars(
        sa.select(AnswerVersion).where(AnswerVersion.answer_id == answer.id).order_by(AnswerVersion.number)
    ).all()
    assert rows, "no save went through"
    assert [v.number for v in rows] == list(range(1, len(rows) + 1))
    assert rows[-1].evidence == answer.evidence  # the last version is the answer as saved
    assert sum(v.saves for v in rows) >= len(rows)

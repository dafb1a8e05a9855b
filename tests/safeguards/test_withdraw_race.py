"""Withdrawal races from several OS processes (the harness is tests/safeguards/race.py)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from safeguards.models import Assessment, AssessmentState
from tests.factories import UserFactory
from tests.safeguards.browser import press
from tests.safeguards.conftest import answer_all
from tests.safeguards.race import Job, Request, race

ROUNDS = 3
NOT_WITHDRAWN = "así que no se retiró"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _withdrawal(client, assessment, reason) -> Request:
    page = f"/safeguards/assessments/{assessment.id}/withdraw"
    action, data = press(client.get(page).get_data(as_text=True), "confirm", {"reason": reason})
    return Request("POST", action or page, data=data)


def test_two_admins_withdrawing_at_once_withdraw_once_with_the_winners_reason(
    app, database_url, db, login_as, admin, make_pilot, make_assessment, mail_outbox
):
    second = UserFactory(admin=True, name="Ana Admin")
    db.session.commit()
    assessments = []
    for n in range(ROUNDS):
        assessment = make_assessment(make_pilot(f"Sistema {n} · País"))
        answer_all(assessment, rating=2)
        assessment.state = AssessmentState.PUBLISHED
        assessments.append(assessment)
    db.session.commit()
    first_admin = login_as(admin, on=app.test_client())
    second_admin = login_as(second, on=app.test_client())
    mine = [_withdrawal(first_admin, a, "Motivo de Ada") for a in assessments]
    theirs = [_withdrawal(second_admin, a, "Motivo de Ana") for a in assessments]

    ada, ana = race(database_url, [Job(_cookie(first_admin), mine), Job(_cookie(second_admin), theirs)])

    for assessment, *pair in zip(assessments, ada, ana, strict=True):
        assert sorted(o.status for o in pair) == [302, 409], [o.status for o in pair]
        winner = 0 if pair[0].status == 302 else 1
        loser = pair[1 - winner]
        assert NOT_WITHDRAWN in loser.html and ("Motivo de Ada", "Motivo de Ana")[1 - winner] in loser.html
        saved = db.session.get(Assessment, assessment.id)
        assert saved.state is AssessmentState.WITHDRAWN
        assert saved.withdrawal_reason == ("Motivo de Ada", "Motivo de Ana")[winner]
    events = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "safeguards.assessment_withdrawn")
    )
    assert events == ROUNDS
    assert len(mail_outbox()) == ROUNDS  # each team (its lead) was told once


def test_a_withdrawal_racing_the_publication_never_withdraws_what_was_not_published(
    app, database_url, db, login_as, admin, make_pilot, make_assessment, mail_outbox
):
    assessments = []
    for n in range(ROUNDS):
        assessment = make_assessment(make_pilot(f"Sistema {n} · País"))
        answer_all(assessment, rating=2)
        assessment.state = AssessmentState.PUBLISHED
        assessments.append(assessment)
    db.session.commit()
    manager = login_as(admin, on=app.test_client())
    withdrawals = [_withdrawal(manager, a, "Se publicó por error") for a in assessments]
    publications = []
    for assessment in assessments:
        assessment.state = AssessmentState.APPROVED  # the withdrawal forms were read while published
        page = f"/safeguards/assessments/{assessment.id}/publish"
        db.session.commit()
        action, data = press(manager.get(page).get_data(as_text=True), "Publicar ahora", {})
        publications.append(Request("POST", action or page, data=data))

    publisher, withdrawer = race(
        database_url, [Job(_cookie(manager), publications), Job(_cookie(manager), withdrawals, delay=0.1)]
    )

    for assessment, published, withdrawn in zip(assessments, publisher, withdrawer, strict=True):
        assert published.status == 302 and withdrawn.status in (302, 409)
        saved = db.session.get(Assessment, assessment.id)
        if withdrawn.status == 302:  # it came after the publication committed
            assert saved.state is AssessmentState.WITHDRAWN and saved.published_at is not None
        else:  # it saw the assessment still approved, and changed nothing
            assert saved.state is AssessmentState.PUBLISHED and saved.withdrawal_reason == ""

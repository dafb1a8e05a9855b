"""Races on assessments from several OS processes at once (the harness is tests/safeguards/race.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.users import services as user_services
from safeguards import services
from safeguards.models import Answer, Assessment, AssessmentState, DpiSystem, Pilot, PilotMember, TeamRole
from tests.conftest import hidden_fields
from tests.factories import UserFactory
from tests.safeguards.browser import press
from tests.safeguards.conftest import answer_all
from tests.safeguards.race import Job, Repeat, Request, race

SAVERS = 3
LOCKED = "Esta evaluación está bloqueada: ya se envió o se aprobó."
DECIDED_FIRST = "Otra persona revisora decidió antes"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _codes(assessment) -> list[str]:
    from safeguards import framework as fw

    idx = fw.index(assessment.framework_id)
    return [i.process.code for i in services.items(assessment, idx) if i.in_scope]


def _versions(db, assessment_id) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(Answer.id, Answer.version).where(Answer.assessment_id == assessment_id)
        ).all()
    )


def _audit(db, action: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


@pytest.mark.parametrize("via", ["wizard", "api"])
def test_autosave_racing_the_submission_changes_nothing_after_it(
    app, database_url, db, login_as, lead, assessment, mail_outbox, via
):
    answer_all(assessment, rating=1)
    codes = _codes(assessment)[:SAVERS]
    browser = login_as(lead, on=app.test_client())
    step = browser.get(f"/safeguards/assessments/{assessment.id}/steps/{codes[0].split('.')[0]}")
    token = hidden_fields(step.get_data(as_text=True), "")["csrf_token"]
    submit_page = f"/safeguards/assessments/{assessment.id}/submit/confirm"
    fields = hidden_fields(browser.get(submit_page).get_data(as_text=True), "")
    body = {"choice": "2", "justification": "", "links": "", "confidence": ""}
    versions = {a.process.code: a.version for a in assessment.answers}
    savers = []
    for code in codes:
        if via == "wizard":
            save = Request(
                "POST",
                f"/safeguards/assessments/{assessment.id}/answers/{code}",
                json=body,
                headers={"X-CSRFToken": token},
            )
            savers.append(Job(_cookie(browser), [Repeat(save, version=versions[code])]))
        else:
            secret = user_services.create_api_token(lead, f"autosave {code}")[1]
            db.session.commit()
            save = Request(
                "PUT",
                f"/api/v1/assessments/{assessment.id}/answers/{code}",
                json={"status": "rated", "rating": 2},
                headers={"Authorization": f"Bearer {secret}"},
            )
            savers.append(Job(None, [Repeat(save, version=versions[code])]))
    submission = Job(
        _cookie(browser), [Request("POST", submit_page, data=fields)], delay=0.6, snapshot=assessment.id
    )

    *saves, (submitted, at_submission) = race(database_url, [*savers, submission])

    assert submitted.status == 302
    assert db.session.get(Assessment, assessment.id).state is AssessmentState.SUBMITTED
    changed_after = {a: v for a, v in _versions(db, assessment.id).items() if at_submission[a] != v}
    assert not changed_after, f"{len(changed_after)} answers changed after the submission committed"
    outcomes = [outcome for (repeat,) in saves for outcome in repeat]
    assert {o.status for o in outcomes} <= {200, 409}, sorted(o.status for o in outcomes)
    late = [o for o in outcomes if o.status != 200]
    assert late and all(o.message == LOCKED for o in late), [o.message for o in late]
    assert any(o.status == 200 for o in outcomes)  # the saves before the submission went through


ROUNDS = 3


def test_two_reviewers_deciding_at_once_one_wins_the_other_gets_409(
    app, database_url, db, login_as, make_pilot, make_assessment, reviewer, mail_outbox
):
    second = UserFactory(staff=True, name="Rosa Revisora")
    leads = [UserFactory() for _ in range(ROUNDS)]
    db.session.commit()
    assessments = []
    for n, lead in enumerate(leads):
        pilot = make_pilot(f"Sistema {n} · País", lead=lead, reviewer=reviewer)
        services.add_member(pilot, second, TeamRole.REVIEWER)
        assessment = make_assessment(pilot)
        answer_all(assessment, rating=1)
        assessment.state = AssessmentState.SUBMITTED
        assessments.append(assessment)
    db.session.commit()
    approving = login_as(reviewer, on=app.test_client())
    asking = login_as(second, on=app.test_client())
    approvals, requests = [], []
    for assessment in assessments:
        page = f"/safeguards/assessments/{assessment.id}/review"
        preview = f"/safeguards/assessments/{assessment.id}/approve"  # the approval is confirmed there
        action, data = press(approving.get(preview).get_data(as_text=True), "confirm", {})
        approvals.append(Request("POST", action, data=data))
        html = asking.get(page).get_data(as_text=True)
        action, data = press(html, "Solicitar cambios", {"note": "Falta evidencia en F4"})
        requests.append(Request("POST", action or page, data=data))

    approver, asker = race(database_url, [Job(_cookie(approving), approvals), Job(_cookie(asking), requests)])

    for assessment, *pair in zip(assessments, approver, asker, strict=True):
        assert sorted(o.status for o in pair) == [302, 409], [o.status for o in pair]
        loser = next(o for o in pair if o.status == 409)
        assert DECIDED_FIRST in loser.html
        if loser is pair[1]:
            assert "Falta evidencia en F4" in loser.html  # what the loser typed is still on the page
        state = db.session.get(Assessment, assessment.id).state
        assert state in (AssessmentState.APPROVED, AssessmentState.CHANGES_REQUESTED)
    decisions = _audit(db, "safeguards.assessment_approved") + _audit(
        db, "safeguards.assessment_changes_requested"
    )
    assert decisions == ROUNDS
    assert sorted(m.to_email for m in mail_outbox()) == sorted(lead.email for lead in leads)


# Double submission of every creating form: the same request sent from several processes at once
# (a double click, a resend) acts once, and every copy lands where the first one did.

COPIES = 3


def _form(client, page, typed, action=None) -> Request:
    fields = hidden_fields(client.get(page).get_data(as_text=True), action or page)
    return Request("POST", action or page, data={**fields, **typed}, cookie=_cookie(client))


def _count(db, query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def test_a_double_submission_of_any_creating_form_acts_once(
    app, database_url, db, login_as, staff, lead, assessment, make_pilot, make_assessment, mail_outbox
):
    manager = login_as(staff, on=app.test_client())
    team = login_as(lead, on=app.test_client())
    person = UserFactory(name="Carla Colaboradora")
    finished = make_assessment(make_pilot("Pix · Brasil", lead=lead))
    finished.state = AssessmentState.PUBLISHED
    answer_all(assessment, rating=1)
    pilot = f"/safeguards/pilots/{assessment.pilot_id}"
    system = {"name": "Llave", "slug": "llave", "countries": "MX", "kind": "digital_id", "operator": "SAT"}
    forms = {
        "system": (
            _form(manager, "/safeguards/systems/new", system),
            sa.select(DpiSystem).where(DpiSystem.slug == "llave"),
        ),
        "pilot": (
            _form(
                manager,
                "/safeguards/pilots/new",
                {
                    "system": str(assessment.pilot.system_id),
                    "country": "CO",
                    "title": "Otro piloto",
                    "lead_email": lead.email,
                },
            ),
            sa.select(Pilot).where(Pilot.title == "Otro piloto"),
        ),
        "member": (
            _form(team, pilot, {"email": person.email, "role": "contributor"}, action=f"{pilot}/members"),
            sa.select(PilotMember).where(PilotMember.user_id == person.id),
        ),
        "cycle": (
            _form(
                team,
                f"/safeguards/pilots/{finished.pilot_id}",
                {},
                f"/safeguards/pilots/{finished.pilot_id}/cycles",
            ),
            sa.select(Assessment).where(Assessment.pilot_id == finished.pilot_id, Assessment.cycle == 2),
        ),
        "submission": (
            _form(team, f"/safeguards/assessments/{assessment.id}/submit/confirm", {}),
            sa.select(AuditEvent).where(AuditEvent.action == "safeguards.assessment_submitted"),
        ),
    }
    assert all(_count(db, query) == 0 for _request, query in forms.values())

    copies = race(database_url, [Job(None, [request for request, _query in forms.values()])] * COPIES)

    problems = {}
    for n, (name, (_request, query)) in enumerate(forms.items()):
        outcomes = [job[n] for job in copies]
        statuses, places, made = (
            [o.status for o in outcomes],
            {o.location for o in outcomes},
            _count(db, query),
        )
        if statuses != [302] * COPIES or len(places) != 1 or made != 1:
            problems[name] = (statuses, sorted(places), f"{made} made")
    assert not problems
    assert len(mail_outbox()) == len(assessment.pilot.reviewers)  # the submission told them once

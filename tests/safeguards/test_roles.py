"""Who gives the roles on a pilot: reviewers are assigned by admins only, and never by themselves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium import permissions
from consortium.audit.models import AuditEvent
from consortium.permissions import Permission, Role
from safeguards.models import AssessmentState, PilotMember, TeamRole
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all


def _roles(db, pilot) -> dict[int, TeamRole]:
    db.session.expire_all()
    return dict(
        db.session.execute(
            sa.select(PilotMember.user_id, PilotMember.role).where(PilotMember.pilot_id == pilot.id)
        ).all()
    )


def _add(submit, pilot, email: str, role: str, **kwargs):
    page = f"/safeguards/pilots/{pilot.id}"
    return submit(page, {"email": email, "role": role}, action=f"{page}/members", **kwargs)


def _remove(client, csrf_token, pilot, user):
    member_id = next(m.id for m in pilot.members if m.user_id == user.id)
    token = csrf_token(page=f"/safeguards/pilots/{pilot.id}")
    return client.post(
        f"/safeguards/pilots/{pilot.id}/members/{member_id}/remove", data={"csrf_token": token}
    )


def test_pilot_lead_cannot_demote_the_reviewer(client, login_as, submit, lead, reviewer, pilot, db):
    login_as(lead)
    response = _add(submit, pilot, reviewer.email, "contributor")
    assert response.status_code == 403
    assert _roles(db, pilot)[reviewer.id] is TeamRole.REVIEWER


def test_pilot_lead_cannot_remove_the_reviewer(client, login_as, csrf_token, lead, reviewer, pilot, db):
    login_as(lead)
    assert _remove(client, csrf_token, pilot, reviewer).status_code == 403
    assert _roles(db, pilot)[reviewer.id] is TeamRole.REVIEWER


def test_pilot_lead_is_not_offered_reviewer_controls(client, login_as, lead, reviewer, pilot):
    login_as(lead)
    html = client.get(f"/safeguards/pilots/{pilot.id}").get_data(as_text=True)
    assert 'value="reviewer"' not in html
    reviewer_member = next(m for m in pilot.members if m.user_id == reviewer.id)
    assert f"/members/{reviewer_member.id}/remove" not in html
    assert 'value="contributor"' in html  # the lead still manages the team


def test_staff_cannot_add_themselves_as_reviewer(client, login_as, submit, staff, assessment, db):
    pilot = assessment.pilot
    login_as(staff)
    response = _add(submit, pilot, staff.email, "reviewer", follow_redirects=True)
    assert "No puede agregarse a sí" in response.get_data(as_text=True)
    assert staff.id not in _roles(db, pilot)
    assert client.get(f"/safeguards/assessments/{assessment.id}/results").status_code == 404


def test_staff_cannot_assign_reviewers(client, login_as, submit, staff, make_pilot, lead, db):
    pilot = make_pilot(lead=lead)
    colleague = UserFactory(staff=True)
    db.session.commit()
    login_as(staff)
    assert 'value="reviewer"' not in client.get(f"/safeguards/pilots/{pilot.id}").get_data(as_text=True)
    assert _add(submit, pilot, colleague.email, "reviewer").status_code == 403
    assert colleague.id not in _roles(db, pilot)


def test_staff_cannot_join_a_team_to_read_its_draft(client, login_as, submit, staff, assessment, db):
    login_as(staff)
    _add(submit, assessment.pilot, staff.email, "contributor")
    assert staff.id not in _roles(db, assessment.pilot)
    assert client.get(f"/safeguards/assessments/{assessment.id}/results").status_code == 404


def test_admin_assigns_a_staff_reviewer(client, login_as, submit, admin, make_pilot, lead, db):
    pilot = make_pilot(lead=lead)
    colleague = UserFactory(staff=True)
    db.session.commit()
    login_as(admin)
    assert _add(submit, pilot, colleague.email, "reviewer").status_code == 302
    assert _roles(db, pilot)[colleague.id] is TeamRole.REVIEWER
    added = db.session.scalars(
        sa.select(AuditEvent.summary).where(AuditEvent.action == "safeguards.member_added")
    ).all()
    assert any(colleague.email in summary for summary in added)


def test_admin_removes_a_reviewer(client, login_as, csrf_token, admin, reviewer, pilot, db):
    login_as(admin)
    assert _remove(client, csrf_token, pilot, reviewer).status_code == 302
    assert reviewer.id not in _roles(db, pilot)


def test_reviewers_must_be_staff(client, login_as, submit, admin, make_pilot, lead, db):
    pilot = make_pilot(lead=lead)
    outsider = UserFactory()
    db.session.commit()
    login_as(admin)
    response = _add(submit, pilot, outsider.email, "reviewer")
    assert response.status_code == 302
    assert outsider.id not in _roles(db, pilot)


def test_staff_given_the_assignment_permission_still_cannot_assign_themselves(
    client, login_as, submit, staff, make_pilot, lead, db, monkeypatch
):
    granted = permissions.ROLE_PERMISSIONS[Role.STAFF] | {Permission.SAFEGUARDS_ASSIGN_REVIEWERS}
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, Role.STAFF, granted)
    pilot = make_pilot(lead=lead)
    colleague = UserFactory(staff=True)
    db.session.commit()
    login_as(staff)
    assert _add(submit, pilot, colleague.email, "reviewer").status_code == 302
    _add(submit, pilot, staff.email, "reviewer")
    assert _roles(db, pilot) == {lead.id: TeamRole.LEAD, colleague.id: TeamRole.REVIEWER}


@pytest.fixture
def unreviewed(make_pilot, make_assessment, lead):
    assessment = make_assessment(make_pilot(lead=lead))
    answer_all(assessment)
    return assessment


def test_pilot_without_reviewer_cannot_be_submitted(
    client, login_as, submit, lead, unreviewed, db, mail_outbox
):
    login_as(lead)
    url = f"/safeguards/assessments/{unreviewed.id}/submit"
    page = client.get(url).get_data(as_text=True)
    assert "no tiene revisor" in page  # the lead reads Spanish
    response = client.post(f"{url}/confirm", data={"csrf_token": _token(page)})
    assert response.status_code == 200
    assert "no tiene revisor" in response.get_data(as_text=True)
    db.session.refresh(unreviewed)
    assert unreviewed.state is AssessmentState.DRAFT
    assert mail_outbox() == []


def test_submission_page_explains_the_missing_reviewer_in_each_language(
    client, login_as, lead, unreviewed, db
):
    url = f"/safeguards/assessments/{unreviewed.id}/submit"
    expected = {"en": "has no reviewer yet", "pt_BR": "ainda não tem revisor"}
    for locale, text in expected.items():
        lead.locale = locale
        db.session.commit()
        login_as(lead)
        assert text in client.get(url).get_data(as_text=True)


def _token(html: str) -> str:
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

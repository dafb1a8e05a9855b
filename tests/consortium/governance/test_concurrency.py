"""Races from several server processes at once: state changes, closing while someone contributes, and
two people drafting the response to the same contribution. Each step locks the row it decides on."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.governance.contribution_models import Contribution, Response
from consortium.governance.models import Consultation, ConsultationState, SeatRole, Space, SpaceState
from tests.conftest import hidden_fields
from tests.consortium.governance.contributing import written
from tests.parallel import _send_same_request


@pytest.fixture
def workers(_workers):
    """The session's server processes (``tests.parallel``), each sending its own request."""
    return _workers


def _job(client, page: str, action: str, data: dict) -> tuple:
    """One process's request: ``client``'s session posting ``data`` and the form's hidden fields."""
    fields = hidden_fields(client.get(page).get_data(as_text=True), action)
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    return (cookie.value, page, "POST", action, {**fields, **data})


def _at_once(workers, db, jobs: list) -> list:
    db.session.commit()
    answers = workers.run(_send_same_request, jobs)
    db.session.rollback()
    return answers


def _audited(db, action: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def test_a_state_change_sent_twice_at_once_happens_once(
    post_at_once, client, login_as, staff, make_space, db
):
    space = make_space(state=SpaceState.PAUSED)
    login_as(staff)
    page, action = f"/governance/spaces/{space.id}", f"/governance/spaces/{space.id}/state/active"
    data = hidden_fields(client.get(page).get_data(as_text=True), action)
    answers = post_at_once(client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    db.session.expire_all()
    assert db.session.get(Space, space.id).state is SpaceState.ACTIVE
    # the second request saw the first one's state inside the lock and refused: one change, one record
    assert _audited(db, "governance.space_active") == 1


def test_closing_while_someone_contributes_never_takes_a_contribution_after_the_close(
    workers, app, login_as, space, convenor, seat_in, make_consultation, db
):
    consultation = make_consultation(space)
    section = consultation.sections[0]
    convenor_client, member_client = app.test_client(), app.test_client()
    login_as(convenor, on=convenor_client)
    login_as(seat_in(space), on=member_client)
    page = f"/governance/consultations/{consultation.id}"
    jobs = [
        _job(convenor_client, page, f"{page}/close", {}),
        _job(
            member_client,
            page,
            f"/governance/sections/{section.id}/contributions",
            {f"s{section.id}-body": "Idea"},
        ),
    ]
    answers = _at_once(workers, db, jobs)
    assert all(status in (302, 403) for status, _ in answers), answers
    db.session.expire_all()
    closed = db.session.get(Consultation, consultation.id)
    assert closed.state is ConsultationState.CLOSED
    # the contribution either landed before the close (and awaits its response) or was refused
    assert all(c.created_at <= closed.closed_at for c in db.session.scalars(sa.select(Contribution)))


def test_two_people_drafting_at_once_give_one_response(
    workers, app, login_as, space, convenor, seat_in, make_consultation, db
):
    consultation = make_consultation(space)
    author = seat_in(space)
    written(db, consultation, author)
    consultation.state = ConsultationState.CLOSED
    db.session.commit()
    contribution = db.session.scalars(sa.select(Contribution)).one()
    other = seat_in(space, SeatRole.FOCAL_POINT)
    first, second = app.test_client(), app.test_client()
    login_as(convenor, on=first)
    login_as(other, on=second)
    page = f"/governance/contributions/{contribution.id}/respond"
    jobs = [
        _job(first, page, page, {"disposition": "accepted", "rationale": ""}),
        _job(second, page, page, {"disposition": "not_accepted", "rationale": "No."}),
    ]
    answers = _at_once(workers, db, jobs)
    assert {status for status, _ in answers} == {302}, answers
    db.session.expire_all()
    assert len(db.session.scalars(sa.select(Response)).all()) == 1
    assert _audited(db, "governance.response_drafted") == 1
    assert db.session.get(Consultation, consultation.id).state is ConsultationState.RESPONDING


def test_archiving_while_a_consultation_opens_never_leaves_it_open_in_an_archived_space(
    workers, app, login_as, staff, space, convenor, make_consultation, db
):
    draft = make_consultation(space, open_=False)
    staff_client, convenor_client = app.test_client(), app.test_client()
    login_as(staff, on=staff_client)
    login_as(convenor, on=convenor_client)
    space_page, page = f"/governance/spaces/{space.id}", f"/governance/consultations/{draft.id}"
    jobs = [
        _job(staff_client, space_page, f"{space_page}/state/archived", {}),
        _job(convenor_client, page, f"{page}/open", {}),
    ]
    answers = _at_once(workers, db, jobs)
    # once the space is archived nobody convenes its drafts any more: the opening may answer 404
    assert answers[0][0] == 302 and answers[1][0] in (302, 404), answers
    db.session.expire_all()
    archived = db.session.get(Space, space.id).state is SpaceState.ARCHIVED
    opened = db.session.get(Consultation, draft.id).state is ConsultationState.OPEN
    assert archived != opened, (archived, opened)

"""Roadmap races from several OS processes at once (the harness is tests/safeguards/race.py)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import db
from safeguards.roadmap.models import Action, ActionState, Priority, Roadmap, RoadmapState
from tests.conftest import hidden_fields
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.safeguards.race import Job, Request, race

ROUNDS = 3


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _state_change(client, action, to, reason="") -> Request:
    url = f"/safeguards/roadmap-actions/{action.id}"
    target = f"{url}/state"
    data = {**hidden_fields(client.get(url).get_data(as_text=True), target), "to": to, "reason": reason}
    return Request("POST", target, data=data)


def test_two_owners_moving_an_action_at_once_move_it_once(
    app, database_url, login_as, owner, owner_org, validated, make_pilot
):
    _roadmap, first = validated
    others = [first]
    for n in range(ROUNDS - 1):  # more actions on the same roadmap, each raced once
        copy = Action(
            roadmap_id=first.roadmap_id,
            priority_id=first.priority_id,
            title={"es": f"Acción {n}"},
            description={},
            authority="R2",
            owner_id=owner_org.id,
            state=ActionState.VALIDATED,
        )
        db.session.add(copy)
        others.append(copy)
    colleague = UserFactory(name="Otto Owner")
    MembershipFactory(user=colleague, organisation=owner_org)
    db.session.commit()
    mine = login_as(owner, on=app.test_client())
    theirs = login_as(colleague, on=app.test_client())
    starts = [_state_change(mine, a, "in_progress") for a in others]
    drops = [_state_change(theirs, a, "dropped", "El regulador la asumió") for a in others]

    started, dropped = race(database_url, [Job(_cookie(mine), starts), Job(_cookie(theirs), drops)])

    for action, *pair in zip(others, started, dropped, strict=True):
        assert sorted(o.status for o in pair) == [302, 409], [o.status for o in pair]
        saved = db.session.get(Action, action.id)
        winner = ActionState.IN_PROGRESS if pair[0].status == 302 else ActionState.DROPPED
        assert saved.state is winner
        assert (saved.drop_reason == "") is (winner is ActionState.IN_PROGRESS)
        loser = pair[1] if pair[0].status == 302 else pair[0]
        assert "El regulador la asumió" in loser.html or winner is ActionState.DROPPED  # typed text kept
    moves = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action.in_(["safeguards.action_in_progress", "safeguards.action_dropped"]))
    )
    assert moves == ROUNDS


def test_a_rating_racing_the_validation_is_frozen_with_it_or_refused(
    app, database_url, login_as, lead, staff, planned, first_code
):
    roadmap, _action = planned
    team = login_as(lead, on=app.test_client())
    validator = login_as(staff, on=app.test_client())
    url = f"/safeguards/roadmaps/{roadmap.id}/priorities"
    html = team.get(url).get_data(as_text=True)
    sent = hidden_fields(html, url)
    block = html[html.index(f'id="candidate-{first_code}"') :]
    p = re.search(r'name="(p\d+)-urgency"', block).group(1)
    sent.update(
        {
            f"{p}-urgency": "1",
            f"{p}-feasibility": "3",
            f"{p}-is_selected": "y",
            f"{p}-rationale": "Cambiada",
            "save": "1",
        }
    )
    page = f"/safeguards/roadmaps/{roadmap.id}"
    target = f"{page}/validate"
    validation = hidden_fields(validator.get(page).get_data(as_text=True), target)

    (rated,), (validated,) = race(
        database_url,
        [
            Job(_cookie(team), [Request("POST", url, data=sent)]),
            Job(_cookie(validator), [Request("POST", target, data=validation)]),
        ],
    )

    assert validated.status == 302 and rated.status in (302, 409)
    saved = db.session.get(Roadmap, roadmap.id)
    assert saved.state is RoadmapState.VALIDATED
    frozen = saved.versions[0].snapshot["priorities"][0]
    current = db.session.scalars(sa.select(Priority).where(Priority.roadmap_id == roadmap.id)).one()
    # whatever the order, the frozen version holds what is saved: nothing changed after validation
    assert (frozen["urgency"], frozen["feasibility"], frozen["rationale"]) == (
        current.urgency,
        current.feasibility,
        current.rationale,
    )
    assert (current.urgency == 1) is (rated.status == 302)


def _rating(client, action, completion, justification) -> Request:
    url = f"/safeguards/roadmap-actions/{action.id}"
    target = f"{url}/ratings"
    data = {
        **hidden_fields(client.get(url).get_data(as_text=True), target),
        "completion": completion,
        "results": "2",
        "justification": justification,
    }
    return Request("POST", target, data=data)


def test_one_reviewer_rating_from_two_tabs_at_once_makes_one_current_rating(
    app, database_url, login_as, validated
):
    from safeguards.roadmap.models import ActionRating, RoadmapReviewer

    roadmap, action = validated
    cso = OrganisationFactory(name="Observatorio")
    rater = UserFactory(name="Rita Revisora")
    db.session.flush()
    MembershipFactory(user=rater, organisation=cso)
    db.session.add(RoadmapReviewer(roadmap_id=roadmap.id, user_id=rater.id, organisation_id=cso.id))
    db.session.commit()
    tab = login_as(rater, on=app.test_client())
    first, second = _rating(tab, action, "1", "Primera pestaña"), _rating(tab, action, "3", "Segunda pestaña")

    (one,), (two,) = race(database_url, [Job(_cookie(tab), [first]), Job(_cookie(tab), [second])])

    assert (one.status, two.status) == (302, 302)
    rows = db.session.scalars(sa.select(ActionRating).where(ActionRating.action_id == action.id)).all()
    assert len(rows) == 1 and rows[0].justification in ("Primera pestaña", "Segunda pestaña")

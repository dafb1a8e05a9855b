"""Actions, milestones, states and the automatic "delayed" run (safeguards.roadmap.actions)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.audit.models import AuditEvent
from consortium.db import db
from safeguards.roadmap import actions
from safeguards.roadmap.models import Action, ActionState
from tests.safeguards.roadmap.conftest import data


def _move(action, to, expected=None, reason=""):
    with transaction.writing():
        actions.change_state(action, to, expected=expected or action.state, reason=reason)
    db.session.commit()


def test_an_action_needs_a_title_in_some_language_and_dates_in_order(planned, owner_org):
    _roadmap, action = planned
    bad = data(owner_org, title={"es": " ", "en": ""}, starts_on=date(2027, 7, 1), due_on=date(2027, 6, 1))
    with transaction.writing(), pytest.raises(actions.InvalidAction) as raised:
        actions.update(action, bad, expected_version=action.version)
    assert set(raised.value.errors) == {"title_es", "due_on"}


def test_an_outdated_edit_is_refused(planned, owner_org):
    _roadmap, action = planned
    with transaction.writing(), pytest.raises(actions.StaleAction):
        actions.update(action, data(owner_org), expected_version=action.version - 1)


def test_without_milestone_or_outcome_the_action_is_flagged(planned, owner_org):
    _roadmap, action = planned
    with transaction.writing():
        actions.update(action, data(owner_org, measurable_outcome=""), expected_version=action.version)
    db.session.commit()
    assert action.needs_verifiability
    with transaction.writing():
        actions.add_milestone(action, "Borrador del registro", date(2027, 3, 1))
    db.session.commit()
    db.session.refresh(action)
    assert not action.needs_verifiability


def test_states_follow_the_transitions_and_drops_need_a_reason(validated):
    _roadmap, action = validated
    with transaction.writing(), pytest.raises(actions.ActionStateConflict):
        actions.change_state(action, ActionState.COMPLETED, expected=ActionState.VALIDATED)
    _move(action, ActionState.IN_PROGRESS)
    with transaction.writing(), pytest.raises(actions.InvalidAction):
        actions.change_state(action, ActionState.DROPPED, expected=ActionState.IN_PROGRESS)
    _move(action, ActionState.DROPPED, reason="El regulador lo asumió")
    assert action.state is ActionState.DROPPED and action.drop_reason == "El regulador lo asumió"
    assert db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "safeguards.action_dropped")
    )


def test_a_change_from_a_state_the_action_left_is_refused(validated):
    _roadmap, action = validated
    _move(action, ActionState.IN_PROGRESS)
    with transaction.writing(), pytest.raises(actions.ActionStateConflict) as raised:
        actions.change_state(action, ActionState.AT_RISK, expected=ActionState.VALIDATED)
    assert raised.value.state is ActionState.IN_PROGRESS


def test_the_run_delays_only_overdue_actions_with_open_milestones(validated, app):
    _roadmap, action = validated
    # milestones belong to the plan: added directly here, as a revision would
    db.session.add(actions.Milestone(action_id=action.id, title="Primera entrega"))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["safeguards", "roadmap-delays", "--today", "2027-06-30"])
    assert "0 roadmap action(s)" in result.output  # due that day: not late yet
    result = runner.invoke(args=["safeguards", "roadmap-delays", "--today", "2027-07-01"])
    assert "1 roadmap action(s)" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Action, action.id).state is ActionState.DELAYED
    result = runner.invoke(args=["safeguards", "roadmap-delays", "--today", "2027-07-02"])
    assert "0 roadmap action(s)" in result.output  # once


def test_finished_milestones_keep_an_overdue_action_off_the_delayed_list(validated):
    _roadmap, action = validated
    milestone = actions.Milestone(action_id=action.id, title="Única entrega", is_done=True)
    db.session.add(milestone)
    db.session.commit()
    with transaction.writing():
        assert actions.mark_delayed(date(2028, 1, 1)) == []

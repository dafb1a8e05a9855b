"""Starting a roadmap, rating candidates, choosing priorities, validation and revisions (roadmap.planning)."""

from __future__ import annotations

import pytest

from consortium import transaction
from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap import actions, planning
from safeguards.roadmap.models import ActionState, RoadmapState
from safeguards.roadmap.planning import Rating
from safeguards.services import InvalidTransition
from tests.safeguards.roadmap.conftest import choose, data


def test_a_roadmap_starts_only_from_final_results(assessment, lead):
    with transaction.writing(), pytest.raises(InvalidTransition):
        planning.start(assessment, by=lead)


def test_starting_twice_gives_the_same_roadmap(approved, lead):
    with transaction.writing():
        first = planning.start(approved, by=lead)
        second = planning.start(approved, by=lead)
    assert first.id == second.id


def test_published_assessments_start_a_roadmap_too(approved, lead):
    approved.state = AssessmentState.PUBLISHED
    db.session.commit()
    with transaction.writing():
        assert planning.start(approved, by=lead).state is RoadmapState.DRAFT


def test_a_priority_needs_ratings_and_a_rationale(roadmap, first_code):
    with transaction.writing(), pytest.raises(planning.InvalidPriorities) as raised:
        planning.rate(roadmap, [Rating(first_code, None, 4, True, "")])
    errors = raised.value.errors[first_code]
    assert set(errors) == {"urgency", "feasibility", "rationale"}


def test_codes_that_are_not_candidates_are_ignored(roadmap):
    with transaction.writing():
        assert planning.rate(roadmap, [Rating("F1.1-nope", 3, 3, True, "x")]) == 0


def test_a_priority_with_actions_cannot_be_unchosen(planned, first_code):
    roadmap, _action = planned
    with transaction.writing(), pytest.raises(planning.InvalidPriorities) as raised:
        planning.rate(roadmap, [Rating(first_code, 3, 2, False, "")])
    assert "is_selected" in raised.value.errors[first_code]


def test_validation_freezes_a_version_and_validates_the_proposed_actions(planned, staff, first_code):
    roadmap, action = planned
    with transaction.writing():
        version = planning.validate(roadmap, by=staff)
    db.session.commit()
    assert version.number == 1 and roadmap.state is RoadmapState.VALIDATED and roadmap.number == 2
    assert action.state is ActionState.VALIDATED
    frozen = version.snapshot
    assert frozen["priorities"][0]["code"] == first_code
    assert frozen["actions"][0]["title"] == {"es": "Publicar el registro de reclamos"}


def test_a_validated_roadmap_refuses_edits_until_a_revision_starts(validated, owner_org, first_code, staff):
    roadmap, action = validated
    priority = action.priority
    with transaction.writing(), pytest.raises(planning.RoadmapLocked):
        actions.create(priority, data(owner_org))
    with transaction.writing(), pytest.raises(planning.InvalidChangelog):
        planning.revise(roadmap, "  ")
    with transaction.writing():
        planning.revise(roadmap, "Añadimos una acción para el regulador")
        added = actions.create(priority, data(owner_org, title={"en": "Second action"}))
        version = planning.validate(roadmap, by=staff)
    db.session.commit()
    assert version.number == 2 and version.changelog == "Añadimos una acción para el regulador"
    assert added.state is ActionState.VALIDATED
    assert [v.number for v in roadmap.versions] == [1, 2]
    assert len(roadmap.versions[0].snapshot["actions"]) == 1  # the first version never changes
    assert len(roadmap.versions[1].snapshot["actions"]) == 2


def test_validation_needs_a_priority_with_an_action(roadmap, first_code, staff):
    with transaction.writing(), pytest.raises(InvalidTransition):
        planning.validate(roadmap, by=staff)
    choose(roadmap, first_code)
    with transaction.writing(), pytest.raises(InvalidTransition):
        planning.validate(roadmap, by=staff)

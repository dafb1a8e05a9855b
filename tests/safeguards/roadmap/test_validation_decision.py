"""A governance space's validation decision validates a roadmap of its system's pilot (through the kernel's
``consortium.validations`` registry and ``validation_decided`` signal), in the decision's transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import db
from consortium.governance import services as governance
from consortium.governance.models import LifecycleStage, SpaceState
from consortium.governance.records import SpaceDecision
from safeguards.models import Pilot
from safeguards.roadmap.models import ActionState, RoadmapState


@pytest.fixture
def make_space(staff):
    def make(system_id, slug="espacio-bre-b"):
        space = governance.create_space(
            by=staff,
            slug=slug,
            title={"es": "Espacio Bre-B"},
            charter={},
            system_id=system_id,
            stage=LifecycleStage.L3,
        )
        space.state = SpaceState.ACTIVE
        db.session.commit()
        return space

    return make


def _decide(submit, space, key, **extra):
    data = {
        "text": "Validar la hoja de ruta del piloto.",
        "rationale": "El espacio revisó las prioridades y las acciones.",
        "language": "es",
        "meeting_id": "0",
        "kind": "validation",
        "method": "consensus",
        "validates": key,
        **extra,
    }
    return submit(f"/governance/spaces/{space.id}/decisions/new", data)


def test_a_validation_decision_validates_and_freezes_the_roadmap(
    client, login_as, staff, planned, make_space, submit, owner_org, lead
):
    roadmap, action = planned
    space = make_space(db.session.get(Pilot, roadmap.pilot_id).system_id)
    login_as(staff)
    form = client.get(f"/governance/spaces/{space.id}/decisions/new").get_data(as_text=True)
    key = f"safeguards.roadmap:{roadmap.id}"
    assert f'value="{key}"' in form  # offered: the space's system, a priority, a proposed action
    assert _decide(submit, space, key).status_code == 302
    decision = db.session.scalars(sa.select(SpaceDecision)).one()
    db.session.refresh(roadmap)
    db.session.refresh(action)
    assert roadmap.state is RoadmapState.VALIDATED and len(roadmap.versions) == 1
    assert action.state is ActionState.VALIDATED
    audit = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "safeguards.roadmap_validated")
    ).one()
    assert audit.changes["note"] == f"governance decision #{decision.id}"
    # frozen: the team cannot add an action any more
    login_as(lead)
    page = client.get(f"/safeguards/roadmap-priorities/{action.priority_id}/actions/new")
    assert page.status_code == 403
    # and it is no longer offered to validate
    login_as(staff)
    assert key not in client.get(f"/governance/spaces/{space.id}/decisions/new").get_data(as_text=True)


def test_a_decision_on_a_roadmap_not_eligible_is_refused_with_a_translated_error(
    client, login_as, staff, roadmap, make_space, make_pilot, submit
):
    # a roadmap without priorities nor actions, and a space of another system
    own = make_space(db.session.get(Pilot, roadmap.pilot_id).system_id)
    other = make_space(make_pilot("Pix · Brasil").system_id, slug="espacio-pix")
    login_as(staff)
    client.set_cookie("lang", "es")
    for space in (own, other):
        refused = _decide(submit, space, f"safeguards.roadmap:{roadmap.id}")
        html = refused.get_data(as_text=True)
        assert refused.status_code == 200 and "Este documento no se puede validar ahora" in html
        assert "Validar la hoja de ruta del piloto." in html  # what was typed is kept
    assert _decide(submit, own, "safeguards.roadmap:999999").status_code == 200
    assert db.session.scalars(sa.select(SpaceDecision)).all() == []
    db.session.refresh(roadmap)
    assert roadmap.state is RoadmapState.DRAFT


def test_only_a_decision_of_kind_validation_validates(client, login_as, staff, planned, make_space, submit):
    roadmap, _action = planned
    space = make_space(db.session.get(Pilot, roadmap.pilot_id).system_id)
    login_as(staff)
    refused = _decide(submit, space, f"safeguards.roadmap:{roadmap.id}", kind="resolution")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Solo una decisión de validación valida un documento" in html
    db.session.refresh(roadmap)
    assert roadmap.state is RoadmapState.DRAFT

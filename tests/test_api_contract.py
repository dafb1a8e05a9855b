"""The API keeps its own OpenAPI contract under property-based fuzzing (schemathesis).

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid and invalid, over a
database holding a published training with a registration, a published library resource and a
draft assessment. Requests come from an admin (who also leads the pilot), a member or nobody,
and ids in paths are often swapped for the real rows', so reads and writes reach the services.
Every answer must be below 500, carry a documented status code and content type, and match the
documented schema. The seed is fixed and Hypothesis keeps no example database, so runs repeat.
"""

from __future__ import annotations

import json
import tempfile
import zlib
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet

from consortium import transaction
from consortium.app import create_app
from consortium.db import db, utcnow
from consortium.governance import services as governance
from consortium.governance.contribution_models import Disposition
from consortium.governance.models import LifecycleStage, SpaceState
from consortium.library import services as library
from consortium.library.models import ResourceKind, VersionStatus
from consortium.reference.systems import SystemKind, create_system
from consortium.users import services as users
from safeguards import framework as fw
from safeguards import services as safeguards
from safeguards.models import AssessmentState
from safeguards.roadmap import actions, planning
from safeguards.roadmap.models import Priority
from tests.conftest import TEST_CONFIG
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.trainings.factories import make_training
from trainings import services as trainings

# Hypothesis keeps no example database ("database": "none"), but from collection on it caches Unicode
# tables and the constants schemathesis reads from our source: those go to the system's temporary
# directory, not to .hypothesis/ in the working tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "dpi-consortium-hypothesis")
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260501,
        "generation": {"max-examples": 30, "deterministic": True, "database": "none", "mode": "all"},
        "phases": {"stateful": {"enabled": False}},
    }
)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

# The document comes from an app of its own at collection time, as schemathesis makes one test per
# operation out of it; the requests go to the suite's app and database.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}), config=CONFIG
)


@pytest.fixture
def world(app):
    """Real rows for the generated requests to meet, and a personal token for an admin and a member."""
    admin = UserFactory(admin=True, name="Ada Admin")
    member = UserFactory(name="Marta Miembro")
    organisation = OrganisationFactory(is_consortium_member=True)
    MembershipFactory(user=member, organisation=organisation)
    MembershipFactory(user=admin, organisation=organisation)
    training = make_training(organiser=organisation)
    with app.test_request_context(), transaction.writing():  # the e-mail links to the training
        registration = trainings.register(training, admin, organisation, by=admin)

    resource = library.create_resource(
        by=admin, title="Guía", body="Texto", original_language="es", kind=ResourceKind.GUIDE
    )
    resource.original.status, resource.original.published_at = VersionStatus.PUBLISHED, utcnow()
    library.publish_version(resource.original, by=admin)

    framework, _created = fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.json")
    system = create_system(
        slug="bre-b", name="Bre-B", countries=["CO"], kind=SystemKind.PAYMENTS, operator="Banco"
    )
    pilot = safeguards.create_pilot(system, "CO", "Bre-B · Colombia", lead=admin)
    assessment = safeguards.start_assessment(pilot)
    assessment.authorities, assessment.stages = ["R2"], ["L1"]
    process = next(
        item for item in safeguards.items(assessment, fw.index(framework.id)) if item.in_scope
    ).process

    # a second pilot with an approved assessment and a roadmap holding a proposed action
    roadmap_pilot = safeguards.create_pilot(system, "CO", "Bre-B · Colombia (hoja de ruta)", lead=admin)
    approved = safeguards.start_assessment(roadmap_pilot)
    approved.authorities, approved.stages, approved.state = ["R2"], ["L1"], AssessmentState.APPROVED
    with transaction.writing():
        roadmap = planning.start(approved, by=admin)
        priority = Priority(roadmap_id=roadmap.id, process_code=process.code, urgency=3, feasibility=2)
        priority.is_selected, priority.rationale = True, "Urgente"
        db.session.add(priority)
        db.session.flush()
        action = actions.create(
            priority,
            actions.ActionInput(
                title={"es": "Publicar"}, description={}, authority="R2", owner_id=organisation.id
            ),
            by=admin,
        )

    # a governance space under the organisation's slug, so "slug" meets a row on both paths that take one
    space = governance.create_space(
        by=admin,
        slug=organisation.slug,
        title={"es": "Espacio"},
        charter={},
        system_id=system.id,
        stage=LifecycleStage.L3,
    )
    space.state = SpaceState.ACTIVE
    with app.test_request_context(), transaction.writing():  # the response's e-mail links to it
        consultation = governance.create_consultation(space, by=admin, title="Consulta", language="es")
        section = governance.add_section(consultation, heading="Alcance", body="Texto")
        governance.open_consultation(consultation, by=admin)
        contribution = governance.contribute(section, by=member, organisation_id=organisation.id, body="Idea")
        waiting = governance.contribute(section, by=member, organisation_id=organisation.id, body="Otra")
        governance.close_consultation(consultation, by=admin)
        response = governance.draft_response(
            contribution,
            by=admin,
            organisation_id=organisation.id,
            disposition=Disposition.PARTIALLY_ACCEPTED,
            rationale="En parte.",
        )
        governance.approve_response(response, by=member)

    tokens = {}
    for name, user in (("admin", admin), ("member", member)):
        tokens[name] = {"Authorization": f"Bearer {users.create_api_token(user, 'contract')[1]}"}
    db.session.commit()
    return {
        "callers": [tokens["admin"], tokens["admin"], tokens["member"], {}],
        "ids": {
            "training_id": training.id,
            "registration_id": registration.id,
            "resource_id": resource.id,
            "assessment_id": assessment.id,
            "consultation_id": consultation.id,
            "contribution_id": waiting.id,
            "slug": organisation.slug,
            "version": framework.version,
            "process": process.code,
            "pilot_id": roadmap_pilot.id,
            "action_id": action.id,
        },
    }


def _pick(case, choices: list, what: str):
    """A choice that depends only on the generated case, so a run (and Hypothesis's replay) repeats."""
    body = None if isinstance(case.body, NotSet) else case.body
    parts = [what, case.method, case.path_parameters, case.query, case.headers, body]
    key = json.dumps(parts, sort_keys=True, default=repr)
    return choices[zlib.crc32(key.encode()) % len(choices)]


@schema.parametrize()
# The rows are seeded once per operation on purpose: later examples meet what earlier ones created.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_keeps_its_contract(case, app, world, client, mail_outbox):
    headers = _pick(case, world["callers"], "caller")
    if "If-Match" in (case.headers or {}) and _pick(case, [True, False], "version"):
        headers = {**headers, "If-Match": '"1"'}  # the answer's first version: the save goes through
    if case.path_parameters and _pick(case, [True, True, False], "rows"):
        case.path_parameters = {
            name: world["ids"].get(name, value) for name, value in case.path_parameters.items()
        }
    case.call_and_validate(app=app, session=client, headers=headers, checks=CHECKS)

"""Roadmap fixtures: an approved assessment with weak items, a roadmap on it, an owner organisation."""

from __future__ import annotations

from datetime import date

import pytest

from consortium import transaction
from consortium.db import db
from safeguards import framework as fw
from safeguards import services
from safeguards.models import AnswerStatus, AssessmentState
from safeguards.roadmap import actions, planning
from safeguards.roadmap.planning import Rating
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

#: the first in-scope items get these values; the rest are rated 3 (no candidates)
VALUES = (0, "unknown", 1, 2, 2)


def in_scope(assessment):
    return [i for i in services.items(assessment, fw.index(assessment.framework_id)) if i.in_scope]


@pytest.fixture
def approved(assessment):
    for n, item in enumerate(in_scope(assessment)):
        value = VALUES[n] if n < len(VALUES) else 3
        answer = item.answer
        if value == "unknown":
            answer.status, answer.rating = AnswerStatus.UNKNOWN, None
        else:
            answer.status, answer.rating = AnswerStatus.RATED, value
        answer.evidence, answer.links = "Informe", "https://example.org"
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    return assessment


@pytest.fixture
def owner_org():
    organisation = OrganisationFactory(name="Banco Central")
    db.session.commit()
    return organisation


@pytest.fixture
def owner(owner_org):
    user = UserFactory(name="Olga Owner")
    MembershipFactory(user=user, organisation=owner_org)
    db.session.commit()
    return user


@pytest.fixture
def roadmap(approved, lead):
    with transaction.writing():
        made = planning.start(approved, by=lead)
    db.session.commit()
    return made


def choose(roadmap, code, *, urgency=3, feasibility=2, rationale="Afecta a todas las personas usuarias"):
    with transaction.writing():
        planning.rate(roadmap, [Rating(code, urgency, feasibility, True, rationale)])
    db.session.commit()
    return next(p for p in roadmap.priorities if p.process_code == code)


def data(owner_org, **changes) -> actions.ActionInput:
    values = {
        "title": {"es": "Publicar el registro de reclamos"},
        "description": {"es": "Un registro trimestral y abierto."},
        "authority": "R2",
        "owner_id": owner_org.id,
        "due_on": date(2027, 6, 30),
        "measurable_outcome": "Registro publicado",
    }
    return actions.ActionInput(**{**values, **changes})


@pytest.fixture
def first_code(roadmap):
    from safeguards.roadmap.candidates import candidates

    return candidates(roadmap.assessment, roadmap)[0].code


@pytest.fixture
def planned(roadmap, first_code, owner_org):
    """A roadmap with one priority and one proposed action: (roadmap, action)."""
    priority = choose(roadmap, first_code)
    with transaction.writing():
        action = actions.create(priority, data(owner_org))
    db.session.commit()
    return roadmap, action


@pytest.fixture
def validated(planned, staff):
    roadmap, action = planned
    with transaction.writing():
        planning.validate(roadmap, by=staff)
    db.session.commit()
    return roadmap, action

"""Feature fixtures: the framework is loaded per test (tables are emptied after each test)."""

from __future__ import annotations

import itertools

import pytest

from consortium.db import db
from consortium.reference.systems import SystemKind, create_system
from safeguards import framework as fw
from safeguards import services
from safeguards.models import AnswerStatus, TeamRole
from tests.factories import UserFactory

_slugs = itertools.count()


@pytest.fixture
def framework(app):
    version, _created = fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.json")
    db.session.commit()
    return version


@pytest.fixture
def make_pilot(framework):
    def make(title="Bre-B · Colombia", *, lead=None, reviewer=None, contributor=None):
        system = create_system(
            slug=f"system-{next(_slugs)}",
            name=title.split(" ·")[0],
            countries=["CO"],
            kind=SystemKind.PAYMENTS,
            operator="Banco de la República",
        )
        pilot = services.create_pilot(system, "CO", title, lead=lead or UserFactory())
        if reviewer is not None:
            services.add_member(pilot, reviewer, TeamRole.REVIEWER)
        if contributor is not None:
            services.add_member(pilot, contributor, TeamRole.CONTRIBUTOR)
        db.session.commit()
        return pilot

    return make


@pytest.fixture
def lead():
    user = UserFactory(name="Lía Líder")
    db.session.commit()
    return user


@pytest.fixture
def reviewer():
    user = UserFactory(staff=True, name="Rita Revisora")
    db.session.commit()
    return user


@pytest.fixture
def pilot(make_pilot, lead, reviewer):
    return make_pilot(lead=lead, reviewer=reviewer)


@pytest.fixture
def make_assessment():
    def make(pilot, *, authorities=("R2",), stages=("L1",)):
        assessment = services.start_assessment(pilot)
        assessment.authorities = list(authorities)
        assessment.stages = list(stages)
        db.session.commit()
        return assessment

    return make


@pytest.fixture
def assessment(pilot, make_assessment):
    return make_assessment(pilot)


def answer_all(assessment, rating=2, status=AnswerStatus.RATED):
    """Rate every in-scope item (with evidence and links, as ratings 3 and 4 need)."""
    idx = fw.index(assessment.framework_id)
    for item in services.items(assessment, idx):
        if item.in_scope:
            item.answer.status = status
            item.answer.rating = rating if status is AnswerStatus.RATED else None
            item.answer.evidence = "Informe"
            item.answer.links = "https://example.org"
            item.answer.justification = "No aplica"
    db.session.commit()

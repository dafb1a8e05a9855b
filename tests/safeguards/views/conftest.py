"""Helpers for the safeguards page tests: answers by process code, step URLs, a client per role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from safeguards import framework as fw
from safeguards import services
from safeguards.models import Answer, Process
from tests.factories import UserFactory


def answer_of(db, assessment, code) -> Answer:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Answer).join(Process).where(Answer.assessment_id == assessment.id, Process.code == code)
    )


def in_scope_codes(assessment, principle=None):
    idx = fw.index(assessment.framework_id)
    return [
        i.process.code
        for i in services.items(assessment, idx)
        if i.in_scope and (principle is None or i.process.principle == principle)
    ]


def step_url(assessment, code):
    return f"/safeguards/assessments/{assessment.id}/steps/{code}"


def field_prefix(db, assessment, code):
    return f"a{answer_of(db, assessment, code).id}"


@pytest.fixture
def people(lead, reviewer, staff, admin, make_pilot, db):
    outsider = UserFactory()
    make_pilot("Llave MX · México", lead=outsider)
    db.session.commit()
    return {"team": lead, "other_team": outsider, "reviewer": reviewer, "staff": staff, "admin": admin}


def client_as(role, app, login_as, people):
    client = app.test_client()
    if role != "anonymous":
        login_as(people[role], on=client)
    return client

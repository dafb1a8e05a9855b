"""Who sees and opens what: the access matrix over roles, for pages and the API."""

from __future__ import annotations

import pytest

from safeguards.models import AssessmentState
from tests.safeguards.views.conftest import client_as, step_url

ROLES = ["anonymous", "team", "other_team", "reviewer", "staff", "admin"]


DRAFT_EXPECTED = {
    "anonymous": 404,
    "team": 200,
    "other_team": 404,
    "reviewer": 200,
    "staff": 404,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "/safeguards/assessments/{id}/results",
        "/safeguards/assessments/{id}/answers.csv",
        "/safeguards/assessments/{id}/report",
        "/api/v1/assessments/{id}",
        "/api/v1/assessments/{id}/scores",
    ],
)
def test_drafts_are_seen_only_by_team_reviewers_and_admins(app, login_as, people, assessment, role, path):
    client = client_as(role, app, login_as, people)
    assert client.get(path.format(id=assessment.id)).status_code == DRAFT_EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_published_results_are_public(app, login_as, people, assessment, role, db):
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    client = client_as(role, app, login_as, people)
    assert client.get(f"/safeguards/assessments/{assessment.id}/results").status_code == 200
    assert client.get(f"/api/v1/assessments/{assessment.id}").status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("team", 200),
        ("other_team", 404),
        ("reviewer", 403),
        ("staff", 404),
        ("admin", 200),
    ],
)
def test_only_the_team_opens_the_wizard(app, login_as, people, assessment, role, expected):
    client = client_as(role, app, login_as, people)
    assert client.get(step_url(assessment, "F1")).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("team", 403), ("other_team", 404), ("reviewer", 200), ("staff", 404), ("admin", 200)],
)
def test_only_assigned_reviewers_and_admins_review(app, login_as, people, assessment, role, expected, db):
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    client = client_as(role, app, login_as, people)
    assert client.get(f"/safeguards/assessments/{assessment.id}/review").status_code == expected

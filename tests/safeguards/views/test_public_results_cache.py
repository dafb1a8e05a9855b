"""Published results are a public page like the others: cached for anonymous readers, purged on a change."""

from __future__ import annotations

import pytest

from consortium import transaction
from consortium.db import db
from consortium.signals import state_changed
from safeguards.models import AssessmentState
from tests.consortium.test_pagecache import cached_app  # noqa: F401 - the cached app fixture


def _publish(pilot, make_assessment):
    assessment = make_assessment(pilot)
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    return assessment


def _change(app, assessment, *, fail=False):
    """An action that announces a change to the assessment, as every service does."""
    with app.app_context(), transaction.action():
        state_changed.send(assessment, action="safeguards.assessment_published", by=None, summary="")
        if fail:
            raise RuntimeError("the action fails")


def test_published_results_are_cached_for_anonymous_readers(cached_app, pilot, make_assessment):  # noqa: F811
    assessment = _publish(pilot, make_assessment)
    client = cached_app.test_client()
    url = f"/safeguards/assessments/{assessment.id}/results"
    before = client.get(url)
    assert before.status_code == 200 and "Bre-B" in before.get_data(as_text=True)
    pilot.title = "Renamed · Colombia"
    db.session.commit()
    assert client.get(url).get_data() == before.get_data()  # served from the cache


def test_a_state_change_purges_the_cached_results(cached_app, pilot, make_assessment):  # noqa: F811
    assessment = _publish(pilot, make_assessment)
    client = cached_app.test_client()
    url = f"/safeguards/assessments/{assessment.id}/results"
    client.get(url)
    pilot.title = "Renamed · Colombia"
    db.session.commit()
    _change(cached_app, assessment)
    assert "Renamed" in client.get(url).get_data(as_text=True)


def test_a_change_that_rolls_back_keeps_the_cache(cached_app, pilot, make_assessment):  # noqa: F811
    assessment = _publish(pilot, make_assessment)
    client = cached_app.test_client()
    url = f"/safeguards/assessments/{assessment.id}/results"
    before = client.get(url).get_data()
    with pytest.raises(RuntimeError):
        _change(cached_app, assessment, fail=True)
    assert client.get(url).get_data() == before

"""The public tracker's open data: the validated version's actions with live state, as CSV and JSON."""

from __future__ import annotations

import csv
import io

import pytest

from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap.models import Action, ActionState, ProgressUpdate


@pytest.fixture
def published(validated):
    roadmap, action = validated
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    return roadmap, action


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_nothing_is_open_before_the_roadmap_is_public(client, validated):
    roadmap, _action = validated
    assert client.get(f"/safeguards/roadmaps/{roadmap.id}/roadmap.csv").status_code == 404
    assert client.get(f"/safeguards/roadmaps/{roadmap.id}/roadmap.json").status_code == 404
    assert client.get("/safeguards/roadmaps/999999/roadmap.json").status_code == 404


def test_the_csv_has_live_states_codes_owner_and_last_update(client, published, first_code):
    roadmap, action = published
    saved = db.session.get(Action, action.id)
    saved.state = ActionState.IN_PROGRESS
    db.session.add(ProgressUpdate(action_id=action.id, state=saved.state, narrative="Avance"))
    db.session.commit()
    response = client.get(f"/safeguards/roadmaps/{roadmap.id}/roadmap.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "creativecommons.org/licenses/by/4.0" in response.headers["Link"]
    (row,) = _csv(response)
    assert row["action_id"] == str(action.id) and row["state"] == "in_progress"
    assert row["priority"] == first_code and row["owner"] == "Banco Central"
    assert row["due_on"] == "2027-06-30" and row["last_update_at"]
    assert row["title_es"] == "Publicar el registro de reclamos" and row["authority"] == "R2"


def test_the_csv_never_carries_a_formula(client, published, staff, login_as):
    roadmap, _action = published
    version = roadmap.versions[-1]
    snapshot = dict(version.snapshot)
    snapshot["actions"] = [{**snapshot["actions"][0], "title": {"es": '=HYPERLINK("http://x","y")'}}]
    version.snapshot = snapshot
    db.session.commit()
    (row,) = _csv(client.get(f"/safeguards/roadmaps/{roadmap.id}/roadmap.csv"))
    assert not row["title_es"].startswith("=")


def test_the_json_has_the_version_priorities_and_actions(client, published, first_code):
    roadmap, action = published
    response = client.get(f"/safeguards/roadmaps/{roadmap.id}/roadmap.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["version"] == 1 and body["licence_url"].endswith("/by/4.0/")
    assert [p["code"] for p in body["priorities"]] == [first_code]
    (found,) = body["actions"]
    assert found["id"] == action.id and found["state"] == "validated" and found["last_update_at"] is None
    assert found["owner"] == "Banco Central" and found["title"]["es"].startswith("Publicar")
    assert found["independent_ratings"] == []


def test_the_public_page_links_its_open_data(client, published):
    roadmap, _action = published
    html = client.get(f"/safeguards/roadmaps/{roadmap.id}/public").get_data(as_text=True)
    assert f"/safeguards/roadmaps/{roadmap.id}/roadmap.csv" in html
    assert f"/safeguards/roadmaps/{roadmap.id}/roadmap.json" in html

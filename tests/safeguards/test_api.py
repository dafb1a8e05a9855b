"""The JSON API: framework, visible assessments, If-Match on answers, scores."""

from __future__ import annotations

from consortium.users import services as user_services
from safeguards.models import AssessmentState
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all


def _bearer(db, user):
    _token, secret = user_services.create_api_token(user, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_framework_endpoint_lists_structure_and_links(client, framework):
    data = client.get("/api/v1/frameworks/1.0").get_json()
    assert len(data["principles"]) == 18 and len(data["risks"]) == 13 and len(data["processes"]) == 96
    f11 = next(p for p in data["processes"] if p["code"] == "F1.1")
    assert f11["principle"] == "F1" and f11["authorities"] == ["R5"] and "RS4" in f11["risks"]
    assert client.get("/api/v1/frameworks/9.9").status_code == 404


def test_openapi_document_lists_the_safeguards_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    assert {
        "/api/v1/frameworks/{version}",
        "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}",
        "/api/v1/assessments/{assessment_id}/answers/{process}",
        "/api/v1/assessments/{assessment_id}/scores",
    } <= paths


def test_list_shows_only_visible_assessments(client, db, lead, assessment, make_pilot, make_assessment):
    other = make_assessment(make_pilot("Pix · Brasil"))
    other.state = AssessmentState.PUBLISHED
    db.session.commit()
    assert [a["id"] for a in client.get("/api/v1/assessments").get_json()] == [other.id]
    ids = [a["id"] for a in client.get("/api/v1/assessments", headers=_bearer(db, lead)).get_json()]
    assert sorted(ids) == sorted([assessment.id, other.id])


def test_assessment_detail_has_answers_with_status_and_version(client, db, lead, assessment):
    data = client.get(f"/api/v1/assessments/{assessment.id}", headers=_bearer(db, lead)).get_json()
    assert len(data["answers"]) == 96
    answer = data["answers"][0]
    assert {"process", "status", "rating", "reviewed_rating", "in_scope", "version"} <= set(answer)
    assert answer["status"] == "unanswered" and answer["version"] == 1
    assert any(a["in_scope"] for a in data["answers"]) and not all(a["in_scope"] for a in data["answers"])


def test_put_answer_honours_if_match(client, db, lead, assessment):
    headers = _bearer(db, lead)
    code = next(
        a["process"]
        for a in client.get(f"/api/v1/assessments/{assessment.id}", headers=headers).get_json()["answers"]
        if a["in_scope"]
    )
    url = f"/api/v1/assessments/{assessment.id}/answers/{code}"
    body = {"status": "rated", "rating": 2, "evidence": "Informe anual"}
    assert client.put(url, json=body, headers=headers).status_code == 428
    saved = client.put(url, json=body, headers={**headers, "If-Match": '"1"'})
    assert saved.status_code == 200 and saved.headers["ETag"] == '"2"' and saved.get_json()["rating"] == 2
    stale = client.put(url, json={**body, "rating": 1}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    incomplete = client.put(
        url, json={"status": "rated", "rating": 4}, headers={**headers, "If-Match": '"2"'}
    )
    assert incomplete.status_code == 422
    na = client.put(url, json={"status": "not_applicable"}, headers={**headers, "If-Match": '"2"'})
    assert na.status_code == 422


def test_put_answer_is_refused_to_other_people(client, db, assessment):
    code = "F1.1"
    stranger = UserFactory()
    db.session.commit()
    response = client.put(
        f"/api/v1/assessments/{assessment.id}/answers/{code}",
        json={"status": "unknown"},
        headers={**_bearer(db, stranger), "If-Match": '"1"'},
    )
    assert response.status_code == 404


def test_scores_endpoint_returns_self_and_reviewed(client, db, lead, assessment):
    answer_all(assessment, rating=2)
    data = client.get(f"/api/v1/assessments/{assessment.id}/scores", headers=_bearer(db, lead)).get_json()
    for key in ("self", "reviewed"):
        scores = data[key]
        assert scores["overall"] == 50.0 and scores["level"] == "developing" and scores["red_flag"] is False
        assert scores["principles"]["O7"] is None and len(scores["principles"]) == 18
        assert len(scores["risks"]) == 13

"""The roadmap API, through HTTP with personal tokens, for each role: anonymous, a team member, an
action's owner, an independent reviewer, staff and an outsider."""

from __future__ import annotations

import pytest

from consortium.db import db
from consortium.users import services as user_services
from safeguards import services
from safeguards.models import AssessmentState, TeamRole
from safeguards.roadmap.models import Action, ActionRating, ActionState, ProgressUpdate, RoadmapReviewer
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def bearer(user):
    _token, secret = user_services.create_api_token(user, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def people(pilot, owner, staff):
    """Tokens by role; the roadmap's independent reviewer belongs to a CSO that owns nothing."""
    member = UserFactory(name="Carla Contribuyente")
    services.add_member(pilot, member, TeamRole.CONTRIBUTOR)
    cso = OrganisationFactory(name="Observatorio Ciudadano")
    rater = UserFactory(name="Rita Revisora")
    MembershipFactory(user=rater, organisation=cso)
    outsider = UserFactory(name="Otto Outsider")
    db.session.commit()
    return {
        "anon": {},
        "member": bearer(member),
        "owner": bearer(owner),
        "staff": bearer(staff),
        "outsider": bearer(outsider),
        "_rater": rater,
        "_cso": cso,
        "reviewer": bearer(rater),
    }


@pytest.fixture
def named(validated, people):
    roadmap, action = validated
    db.session.add(
        RoadmapReviewer(roadmap_id=roadmap.id, user_id=people["_rater"].id, organisation_id=people["_cso"].id)
    )
    db.session.commit()
    return roadmap, action


def publish(roadmap):
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()


@pytest.mark.parametrize(
    ("role", "sees"),
    [("anon", False), ("outsider", False), ("member", True), ("reviewer", True), ("staff", True)],
)
def test_pilots_lists_only_what_the_caller_may_see(client, people, named, role, sees):
    roadmap, _action = named
    listed = client.get("/api/v1/pilots", headers=people[role])
    assert listed.status_code == 200
    assert (roadmap.pilot_id in [p["id"] for p in listed.get_json()["items"]]) is sees


def test_pilots_with_a_public_roadmap_are_listed_for_everyone_and_paginated(
    client, people, named, make_pilot
):
    roadmap, _action = named
    publish(roadmap)
    make_pilot("Pix · Brasil")  # no roadmap: staff only
    anonymous = client.get("/api/v1/pilots").get_json()
    assert [p["id"] for p in anonymous["items"]] == [roadmap.pilot_id] and anonymous["more"] is False
    first = client.get("/api/v1/pilots?per_page=1", headers=people["staff"]).get_json()
    assert len(first["items"]) == 1 and first["more"] is True
    assert client.get("/api/v1/pilots?page=2&per_page=1", headers=people["staff"]).get_json()["more"] is False
    assert client.get("/api/v1/pilots?page=0").status_code == 422


def test_the_public_reads_a_validated_roadmap_only(client, people, planned):
    roadmap, _action = planned
    url = f"/api/v1/pilots/{roadmap.pilot_id}/roadmap"
    publish(roadmap)
    assert client.get(url).status_code == 404  # a draft
    assert client.get(url, headers=people["outsider"]).status_code == 404
    team = client.get(url, headers=people["member"]).get_json()
    assert (
        team["state"] == "draft"
        and team["is_public_view"] is False
        and team["actions"][0]["state"] == "proposed"
    )


def test_a_validated_roadmap_shows_its_actions_in_the_negotiated_language(client, people, named, owner):
    roadmap, action = named
    publish(roadmap)
    action.title = {"es": "Publicar el registro", "en": "Publish the register"}
    db.session.commit()
    url = f"/api/v1/pilots/{roadmap.pilot_id}/roadmap"
    english = client.get(url, headers={"Accept-Language": "en"}).get_json()
    assert english["state"] == "validated" and english["version"] == 1 and english["is_public_view"]
    shown = english["actions"][0]
    # the public reads the validated version's plan, frozen: the later edit is not in it
    assert shown["title"] == "Publicar el registro de reclamos" and shown["is_fallback"] is True
    assert shown["state"] == "validated" and shown["owner"] == "Banco Central" and shown["version"] is None
    assert english["priorities"][0]["code"] == shown["priority"]
    team = client.get(f"{url}?lang=en", headers=people["member"]).get_json()["actions"][0]
    assert team["title"] == "Publish the register" and team["language"] == "en" and team["version"] >= 1
    assert client.get(f"{url}?lang=xx").status_code == 422


def _new_action(priority_code, owner_org, **changes):
    return {
        "priority": priority_code,
        "title": {"es": "Abrir los datos de reclamos"},
        "authority": "R2",
        "owner_id": owner_org.id,
        "due_on": "2027-03-31",
        **changes,
    }


@pytest.mark.parametrize(
    ("role", "status"), [("anon", 401), ("outsider", 404), ("owner", 404), ("member", 201)]
)
def test_the_team_adds_an_action_while_the_roadmap_is_editable(
    client, people, planned, owner_org, role, status
):
    roadmap, action = planned
    url = f"/api/v1/pilots/{roadmap.pilot_id}/roadmap/actions"
    created = client.post(
        url, json=_new_action(action.priority.process_code, owner_org), headers=people[role]
    )
    assert created.status_code == status
    if status == 201:
        body = created.get_json()
        assert body["state"] == "proposed" and body["title"] == "Abrir los datos de reclamos"
        assert db.session.get(Action, body["id"]).owner_id == owner_org.id


def test_a_wrong_action_is_refused_with_translated_errors_and_a_frozen_roadmap_with_409(
    client, people, planned, owner_org, staff
):
    roadmap, action = planned
    url = f"/api/v1/pilots/{roadmap.pilot_id}/roadmap/actions"
    code = action.priority.process_code
    wrong = client.post(
        url,
        json=_new_action(code, owner_org, title={}, authority="R9", risks=["XX"]),
        headers={**people["member"], "Accept-Language": "es"},
    )
    assert wrong.status_code == 422
    errors = wrong.get_json()["errors"]["json"]
    assert set(errors) >= {"title_es", "authority", "risks"}
    assert errors["authority"] == ["Elige la autoridad responsable."]
    unchosen = client.post(url, json=_new_action("Z9.9", owner_org), headers=people["member"])
    assert unchosen.status_code == 422 and "priority" in unchosen.get_json()["errors"]["json"]
    from consortium import transaction
    from safeguards.roadmap import planning

    with transaction.writing():
        planning.validate(roadmap, by=staff)
    db.session.commit()
    frozen = client.post(url, json=_new_action(code, owner_org), headers=people["member"])
    assert frozen.status_code == 409
    assert db.session.query(Action).count() == 1


def test_the_team_edits_an_action_with_its_version_and_a_stale_one_is_refused(client, people, planned):
    _roadmap, action = planned
    url = f"/api/v1/roadmap-actions/{action.id}"
    version = action.version
    saved = client.patch(url, json={"version": version, "due_on": "2027-09-30"}, headers=people["member"])
    assert saved.status_code == 200 and saved.get_json()["due_on"] == "2027-09-30"
    assert saved.get_json()["version"] == version + 1
    stale = client.patch(url, json={"version": version, "due_on": "2027-10-31"}, headers=people["member"])
    assert stale.status_code == 409
    assert db.session.get(Action, action.id).due_on.isoformat() == "2027-09-30"
    for role, status in (("anon", 401), ("outsider", 404), ("owner", 403), ("staff", 403)):
        refused = client.patch(
            url, json={"version": version + 1, "due_on": "2027-01-31"}, headers=people[role]
        )
        assert refused.status_code == status, role


def test_owners_move_the_state_the_machine_allows(client, people, named):
    _roadmap, action = named
    url = f"/api/v1/roadmap-actions/{action.id}"
    version = db.session.get(Action, action.id).version
    frozen = client.patch(url, json={"version": version, "due_on": "2027-01-31"}, headers=people["member"])
    assert frozen.status_code == 409  # validated: the plan is frozen
    for role, status in (("member", 403), ("reviewer", 403), ("outsider", 404)):
        assert (
            client.patch(
                url, json={"version": version, "state": "in_progress"}, headers=people[role]
            ).status_code
            == status
        )
    moved = client.patch(url, json={"version": version, "state": "in_progress"}, headers=people["owner"])
    assert moved.status_code == 200 and moved.get_json()["state"] == "in_progress"
    assert (
        client.patch(url, json={"version": version, "state": "at_risk"}, headers=people["owner"]).status_code
        == 409
    )
    version = moved.get_json()["version"]
    not_allowed = client.patch(url, json={"version": version, "state": "validated"}, headers=people["owner"])
    assert not_allowed.status_code == 409
    no_reason = client.patch(url, json={"version": version, "state": "dropped"}, headers=people["owner"])
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["errors"]["json"]
    assert db.session.get(Action, action.id).state is ActionState.IN_PROGRESS


@pytest.mark.parametrize(
    ("role", "status"),
    [("anon", 401), ("outsider", 404), ("member", 403), ("reviewer", 403), ("staff", 403), ("owner", 201)],
)
def test_only_owners_post_progress_updates(client, people, named, role, status):
    _roadmap, action = named
    sent = client.post(
        f"/api/v1/roadmap-actions/{action.id}/updates",
        json={
            "narrative": "Primer informe publicado.",
            "links": ["https://example.org/informe"],
            "state": "in_progress",
        },
        headers=people[role],
    )
    assert sent.status_code == status
    if status == 201:
        assert sent.get_json()["state"] == "in_progress" and sent.get_json()["links"] == [
            "https://example.org/informe"
        ]
        assert db.session.get(Action, action.id).state is ActionState.IN_PROGRESS
    else:
        assert db.session.query(ProgressUpdate).count() == 0


def test_an_update_needs_a_narrative_and_good_links(client, people, named):
    _roadmap, action = named
    url = f"/api/v1/roadmap-actions/{action.id}/updates"
    assert client.post(url, json={"narrative": "  "}, headers=people["owner"]).status_code == 422
    bad = client.post(
        url, json={"narrative": "Hecho", "links": ["javascript:alert(1)"]}, headers=people["owner"]
    )
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("role", "status"),
    [("anon", 401), ("outsider", 404), ("member", 403), ("owner", 403), ("staff", 403), ("reviewer", 201)],
)
def test_only_named_reviewers_rate(client, people, named, role, status):
    roadmap, action = named
    url = f"/api/v1/roadmap-actions/{action.id}/ratings"
    sent = client.post(
        url, json={"completion": 1, "results": 2, "justification": "Avanza despacio."}, headers=people[role]
    )
    assert sent.status_code == status
    if status == 201:
        assert sent.get_json()["organisation"] == "Observatorio Ciudadano"
        again = client.post(
            url, json={"completion": 2, "results": 2, "justification": "Mejor."}, headers=people[role]
        )
        assert again.status_code == 201
        assert [r.completion for r in db.session.query(ActionRating)] == [2]  # replaced, one row
        shown = client.get(f"/api/v1/pilots/{roadmap.pilot_id}/roadmap", headers=people["member"]).get_json()
        assert shown["actions"][0]["independent_ratings"][0]["completion"] == 2
    else:
        assert db.session.query(ActionRating).count() == 0


def test_a_rating_out_of_the_scales_is_refused(client, people, named):
    _roadmap, action = named
    url = f"/api/v1/roadmap-actions/{action.id}/ratings"
    sent = client.post(
        url, json={"completion": 7, "results": 2, "justification": "x"}, headers=people["reviewer"]
    )
    assert sent.status_code == 422


def test_the_openapi_document_lists_the_roadmap_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    assert {
        "/api/v1/pilots",
        "/api/v1/pilots/{pilot_id}/roadmap",
        "/api/v1/pilots/{pilot_id}/roadmap/actions",
        "/api/v1/roadmap-actions/{action_id}",
        "/api/v1/roadmap-actions/{action_id}/updates",
        "/api/v1/roadmap-actions/{action_id}/ratings",
    } <= paths

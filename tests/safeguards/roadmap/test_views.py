"""The roadmap through HTTP: start, prioritise, plan actions, validate, track and the public page."""

from __future__ import annotations

import re

import pytest

from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap.models import Action, ActionState, Priority, Roadmap, RoadmapState
from tests.conftest import field_error, hidden_fields
from tests.factories import UserFactory
from tests.safeguards.browser import press


def _prefix(html: str, code: str) -> str:
    """The form prefix of a candidate's row (its process id)."""
    block = html[html.index(f'id="candidate-{code}"') :]
    return re.search(r'name="(p\d+)-urgency"', block).group(1)


def test_the_team_starts_the_roadmap_from_the_results(client, login_as, lead, approved):
    login_as(lead)
    results = client.get(f"/safeguards/assessments/{approved.id}/results").get_data(as_text=True)
    page = f"/safeguards/assessments/{approved.id}/roadmap"
    response = client.post(page, data=hidden_fields(results, page))
    roadmap = db.session.query(Roadmap).one()
    assert response.status_code == 302 and response.location.endswith(
        f"/safeguards/roadmaps/{roadmap.id}/priorities"
    )


def test_no_roadmap_starts_from_a_draft(client, login_as, lead, assessment, csrf_token):
    login_as(lead)
    token = csrf_token(page=f"/safeguards/pilots/{assessment.pilot_id}")
    response = client.post(f"/safeguards/assessments/{assessment.id}/roadmap", data={"csrf_token": token})
    assert response.status_code == 302 and db.session.query(Roadmap).count() == 0


def test_prioritising_shows_matrix_and_table_and_keeps_typed_values_on_errors(
    client, login_as, lead, roadmap, first_code
):
    login_as(lead)
    url = f"/safeguards/roadmaps/{roadmap.id}/priorities"
    html = client.get(url).get_data(as_text=True)
    p = _prefix(html, first_code)
    action, sent = press(html, "save", {f"{p}-urgency": "3", f"{p}-feasibility": "2"})
    sent[f"{p}-is_selected"] = "y"  # chosen, but no rationale yet
    response = client.post(action or url, data=sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field_error(html, f"{p}-rationale")
    assert '<option selected value="3">' in html  # what was typed stays
    sent[f"{p}-rationale"] = "Afecta a quienes no tienen cuenta bancaria"
    assert client.post(url, data=sent).status_code == 302
    priority = db.session.query(Priority).one()
    assert (priority.urgency, priority.feasibility, priority.is_selected) == (3, 2, True)
    html = client.get(url).get_data(as_text=True)
    assert "<svg" in html and "<table" in html and 'class="matrix-table"' in html
    assert "style=" not in html


def test_the_team_adds_an_action_and_readers_of_other_languages_see_the_notice(
    client, login_as, lead, roadmap, first_code, owner_org
):
    from tests.safeguards.roadmap.conftest import choose

    priority = choose(roadmap, first_code)
    login_as(lead)
    url = f"/safeguards/roadmap-priorities/{priority.id}/actions/new"
    html = client.get(url).get_data(as_text=True)
    action, sent = press(
        html,
        "save",
        {
            "title_es": "Publicar el registro de reclamos",
            "authority": "R2",
            "owner": str(owner_org.id),
            "due_on": "2027-06-30",
        },
    )
    response = client.post(action or url, data=sent)
    assert response.status_code == 302, field_error(response.get_data(as_text=True), "title_es")
    created = db.session.query(Action).one()
    assert created.processes == [first_code] and created.state is ActionState.PROPOSED
    page = client.get(f"/safeguards/roadmap-actions/{created.id}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert 'class="notice"' in html  # no milestone, no measurable outcome: the warning
    lead.locale = "en"
    db.session.commit()
    html = client.get(f"/safeguards/roadmap-actions/{created.id}").get_data(as_text=True)
    assert "notice-inline" in html and 'lang="es"' in html


def test_an_action_without_a_title_is_refused_with_what_was_typed(
    client, login_as, lead, roadmap, first_code, owner_org
):
    from tests.safeguards.roadmap.conftest import choose

    priority = choose(roadmap, first_code)
    login_as(lead)
    url = f"/safeguards/roadmap-priorities/{priority.id}/actions/new"
    action, sent = press(
        client.get(url).get_data(as_text=True),
        "save",
        {"description_en": "Only a description", "owner": str(owner_org.id)},
    )
    response = client.post(action or url, data=sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field_error(html, "title_es") and "Only a description" in html
    assert db.session.query(Action).count() == 0


def test_staff_validate_and_the_public_page_opens_once_published(client, login_as, staff, validated_by_http):
    roadmap, action = validated_by_http
    assert roadmap.state is RoadmapState.VALIDATED and action.state is ActionState.VALIDATED
    public = f"/safeguards/roadmaps/{roadmap.id}/public"
    anonymous = client.application.test_client()
    assert anonymous.get(public).status_code == 404  # approved, not published
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    response = anonymous.get(public)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Publicar el registro de reclamos" in html
    assert "@" not in html.split("<main", 1)[-1].split("</main>", 1)[0]  # nobody's e-mail
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


@pytest.fixture
def validated_by_http(client, login_as, staff, planned):
    roadmap, action = planned
    login_as(staff)
    page = f"/safeguards/roadmaps/{roadmap.id}"
    target = f"/safeguards/roadmaps/{roadmap.id}/validate"
    response = client.post(target, data=hidden_fields(client.get(page).get_data(as_text=True), target))
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.get(Roadmap, roadmap.id), db.session.get(Action, action.id)


def test_an_owner_moves_the_action_and_a_drop_needs_a_reason(client, login_as, owner, validated):
    _roadmap, action = validated
    login_as(owner)
    url = f"/safeguards/roadmap-actions/{action.id}"
    html = client.get(url).get_data(as_text=True)
    target = f"{url}/state"
    sent = {**hidden_fields(html, target), "to": "dropped", "reason": ""}
    response = client.post(target, data=sent)
    assert response.status_code == 422 and field_error(response.get_data(as_text=True), "reason")
    response = client.post(target, data={**sent, "to": "in_progress"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, action.id).state is ActionState.IN_PROGRESS
    response = client.post(target, data={**sent, "to": "at_risk"})  # the page said "validated"
    assert response.status_code == 409 and db.session.get(Action, action.id).state is ActionState.IN_PROGRESS


@pytest.mark.parametrize("who", ["stranger", "contributor_elsewhere"])
def test_people_off_the_pilot_neither_see_nor_change_the_roadmap(
    client, login_as, validated, who, make_pilot
):
    roadmap, action = validated
    person = UserFactory()
    db.session.commit()
    if who == "contributor_elsewhere":
        make_pilot("Pix · Brasil", contributor=person)
    login_as(person)
    for url in (
        f"/safeguards/roadmaps/{roadmap.id}",
        f"/safeguards/roadmap-actions/{action.id}",
        f"/safeguards/roadmaps/{roadmap.id}/priorities",
    ):
        assert client.get(url).status_code == 404, url


def test_a_reviewer_sees_but_does_not_plan_or_move_actions(client, login_as, reviewer, validated, csrf_token):
    roadmap, action = validated
    login_as(reviewer)
    html = client.get(f"/safeguards/roadmap-actions/{action.id}").get_data(as_text=True)
    assert "/state" not in html
    token = csrf_token(page=f"/safeguards/pilots/{roadmap.pilot_id}")
    response = client.post(
        f"/safeguards/roadmap-actions/{action.id}/state",
        data={"csrf_token": token, "to": "in_progress", "expected": "validated"},
    )
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client, validated):
    roadmap, action = validated
    for url in (f"/safeguards/roadmaps/{roadmap.id}", f"/safeguards/roadmap-actions/{action.id}"):
        assert client.get(url).status_code == 302


def test_owners_find_their_late_actions_on_home(client, login_as, owner, validated):
    _roadmap, action = validated
    action.state = ActionState.DELAYED
    db.session.commit()
    login_as(owner)
    html = client.get("/home").get_data(as_text=True)
    assert "Publicar el registro de reclamos" in html and "Delayed" not in html  # its state, in Spanish
    assert "Publicar el registro de reclamos" in client.get("/safeguards/roadmaps/mine").get_data(
        as_text=True
    )


def test_list_pages_query_counts_do_not_grow_with_actions(
    client, login_as, owner, staff, validated, count_queries
):
    _roadmap, action = validated
    login_as(owner)
    with count_queries() as few:
        assert client.get("/safeguards/roadmaps/mine").status_code == 200
    for n in range(5):
        db.session.add(
            Action(
                roadmap_id=action.roadmap_id,
                priority_id=action.priority_id,
                title={"es": f"Acción {n}"},
                description={},
                authority="R2",
                owner_id=action.owner_id,
            )
        )
    db.session.commit()
    with count_queries() as many:
        assert client.get("/safeguards/roadmaps/mine").status_code == 200
    assert len(many) == len(few) <= 4
    login_as(staff)
    with count_queries() as listed:
        assert client.get("/safeguards/roadmaps").status_code == 200
    assert len(listed) <= 4

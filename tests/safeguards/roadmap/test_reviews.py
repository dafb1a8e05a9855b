"""Independent reviewers: named by staff or the pilot's lead, rating actions beside the owner's report."""

from __future__ import annotations

import re

import pytest

from consortium.audit.models import AuditEvent
from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap.models import ActionRating, ActionState, RoadmapReviewer
from tests.conftest import field_error, hidden_fields
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def cso():
    organisation = OrganisationFactory(name="Observatorio Ciudadano")
    db.session.commit()
    return organisation


@pytest.fixture
def rater(cso):
    user = UserFactory(name="Rita Revisora", email="rita@observatorio.example")
    MembershipFactory(user=user, organisation=cso)
    db.session.commit()
    return user


def _post(client, page, target, **typed):
    sent = {**hidden_fields(client.get(page).get_data(as_text=True), target), **typed}
    return client.post(target, data=sent)


def _name(client, roadmap, email, organisation):
    page = f"/safeguards/roadmaps/{roadmap.id}/reviewers"
    return _post(client, page, page, email=email, organisation=str(organisation.id))


def _rate(client, action, completion="2", results="3", justification="El registro existe pero es parcial."):
    page = f"/safeguards/roadmap-actions/{action.id}"
    return _post(
        client, page, f"{page}/ratings", completion=completion, results=results, justification=justification
    )


@pytest.fixture
def named(validated, rater, cso):
    roadmap, action = validated
    db.session.add(RoadmapReviewer(roadmap_id=roadmap.id, user_id=rater.id, organisation_id=cso.id))
    db.session.commit()
    return roadmap, action


def test_the_lead_names_a_reviewer_for_one_of_their_organisations(
    client, login_as, lead, validated, rater, cso, mail_outbox
):
    roadmap, _action = validated
    login_as(lead)
    other = OrganisationFactory(name="Otra")
    db.session.commit()
    refused = _name(client, roadmap, "rita@observatorio.example", other)
    assert refused.status_code == 422 and field_error(refused.get_data(as_text=True), "organisation")
    assert _name(client, roadmap, "nadie@example.org", cso).status_code == 422
    assert _name(client, roadmap, "RITA@observatorio.example", cso).status_code == 302
    reviewer = db.session.query(RoadmapReviewer).one()
    assert (reviewer.user_id, reviewer.organisation_id) == (rater.id, cso.id)
    again = _name(client, roadmap, "rita@observatorio.example", cso)
    assert again.status_code == 422 and db.session.query(RoadmapReviewer).count() == 1


def test_a_named_reviewer_is_told_by_mail_in_their_language_and_told_again_when_removed(
    client, login_as, staff, validated, rater, cso, smtp
):
    from consortium.mail import deliver_pending

    roadmap, _action = validated
    rater.locale = "pt_BR"
    db.session.commit()
    login_as(staff)
    refused = _name(client, roadmap, "nadie@example.org", cso)
    assert refused.status_code == 422
    deliver_pending()
    assert smtp == []  # nothing was named, nothing is sent
    assert _name(client, roadmap, rater.email, cso).status_code == 302
    deliver_pending()
    assert len(smtp) == 1 and rater.email in smtp[0]["To"]
    assert smtp[0]["Subject"] == "Você foi indicado como avaliador independente de um roteiro"
    body = smtp[0].get_body(("plain",)).get_content()
    assert "Bre-B · Colombia" in body and f"/safeguards/roadmaps/{roadmap.id}" in body
    reviewer = db.session.query(RoadmapReviewer).one()
    page = f"/safeguards/roadmaps/{roadmap.id}/reviewers"
    assert _post(client, page, f"/safeguards/roadmap-reviewers/{reviewer.id}/remove").status_code == 302
    deliver_pending()
    assert len(smtp) == 2 and rater.email in smtp[1]["To"]
    assert smtp[1]["Subject"] == "Você não avalia mais um roteiro"


def test_only_staff_and_the_lead_name_reviewers(client, login_as, owner, validated, rater, cso, csrf_token):
    roadmap, action = validated
    login_as(owner)
    page = f"/safeguards/roadmaps/{roadmap.id}/reviewers"
    token = csrf_token(page=f"/safeguards/roadmap-actions/{action.id}")
    response = client.post(page, data={"csrf_token": token, "email": rater.email, "organisation": cso.id})
    assert response.status_code in (403, 404) and db.session.query(RoadmapReviewer).count() == 0


def test_a_reviewer_rates_and_rating_again_replaces_it(client, login_as, rater, named):
    _roadmap, action = named
    login_as(rater)
    html = client.get(f"/safeguards/roadmap-actions/{action.id}").get_data(as_text=True)
    assert "Save the rating" in html or "Guardar" in html
    assert _rate(client, action).status_code == 302
    assert _rate(client, action, completion="4", results="2", justification="Completa.").status_code == 302
    rating = db.session.query(ActionRating).one()
    assert (rating.completion, rating.results, rating.justification) == (4, 2, "Completa.")
    assert rating.action_state is ActionState.VALIDATED
    assert db.session.query(AuditEvent).filter_by(action="safeguards.action_rated").count() == 2


def test_a_rating_without_justification_keeps_what_was_typed(client, login_as, rater, named):
    _roadmap, action = named
    login_as(rater)
    response = _rate(client, action, completion="1", justification="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field_error(html, "justification")
    assert re.search(r'<option selected value="1"|value="1" selected', html)
    bad = _rate(client, action, completion="9")
    assert bad.status_code == 422 and field_error(bad.get_data(as_text=True), "completion")
    assert db.session.query(ActionRating).count() == 0


def test_a_reviewer_cannot_rate_their_own_organisations_action(
    client, login_as, named, owner_org, owner, csrf_token
):
    roadmap, action = named
    insider = UserFactory(name="Ina Interna")
    MembershipFactory(user=insider, organisation=owner_org)
    db.session.add(RoadmapReviewer(roadmap_id=roadmap.id, user_id=insider.id, organisation_id=owner_org.id))
    db.session.commit()
    login_as(insider)
    html = client.get(f"/safeguards/roadmap-actions/{action.id}").get_data(as_text=True)
    assert f"/safeguards/roadmap-actions/{action.id}/ratings" not in html
    response = client.post(
        f"/safeguards/roadmap-actions/{action.id}/ratings",
        data={
            "csrf_token": csrf_token(page=f"/safeguards/roadmap-actions/{action.id}"),
            "completion": "4",
            "results": "4",
            "justification": "Todo bien",
        },
    )
    assert response.status_code == 403 and db.session.query(ActionRating).count() == 0


def test_owners_and_strangers_cannot_rate(client, login_as, owner, named, csrf_token):
    _roadmap, action = named
    login_as(owner)
    response = client.post(
        f"/safeguards/roadmap-actions/{action.id}/ratings",
        data={
            "csrf_token": csrf_token(page=f"/safeguards/roadmap-actions/{action.id}"),
            "completion": "4",
            "results": "4",
            "justification": "Todo bien",
        },
    )
    assert response.status_code == 403
    login_as(UserFactory(name="Extraña"))
    db.session.commit()
    assert client.get(f"/safeguards/roadmap-actions/{action.id}").status_code == 404


def test_the_rating_shows_beside_the_owners_report_and_on_the_public_tracker(
    client, login_as, rater, owner, named
):
    roadmap, action = named
    login_as(rater)
    _rate(client, action, completion="4", justification="La consulta se publicó.")
    login_as(owner)
    html = client.get(f"/safeguards/roadmap-actions/{action.id}").get_data(as_text=True)
    assert "Observatorio Ciudadano" in html and "La consulta se publicó." in html
    assert "rita@observatorio.example" not in html
    assert (
        "No coincide con el informe del responsable" in html
    )  # "complete" while the owner reports it validated
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    client.post("/logout")
    public = client.get(f"/safeguards/roadmaps/{roadmap.id}/public").get_data(as_text=True)
    assert "Observatorio Ciudadano" in public and "La consulta se publicó." in public
    assert "rita@observatorio.example" not in public


def test_a_reviewers_export_holds_their_roles_and_ratings_and_erasure_ends_the_role(
    client, login_as, rater, named
):
    from safeguards import privacy

    _roadmap, action = named
    login_as(rater)
    _rate(client, action)
    data = privacy.export(rater)
    assert data["roadmap_reviewer_roles"] and data["roadmap_ratings"][0]["action"] == action.id
    privacy.erase(rater)
    db.session.commit()
    assert db.session.query(RoadmapReviewer).count() == 0


def test_a_reviewer_finds_the_roadmap_on_their_list_and_the_json_has_the_rating(
    client, login_as, rater, named, count_queries
):
    roadmap, action = named
    login_as(rater)
    _rate(client, action, completion="3")
    with count_queries() as queries:
        html = client.get("/safeguards/roadmaps/mine").get_data(as_text=True)
    assert f"/safeguards/roadmaps/{roadmap.id}" in html and len(queries) <= 4
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    (found,) = client.get(f"/safeguards/roadmaps/{roadmap.id}/roadmap.json").get_json()["actions"]
    (rating,) = found["independent_ratings"]
    assert rating["organisation"] == "Observatorio Ciudadano" and rating["completion"] == 3
    assert "email" not in str(rating)

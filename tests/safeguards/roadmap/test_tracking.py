"""Owners' progress updates through HTTP, and what the public tracker shows of them."""

from __future__ import annotations

import io

from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap.models import Action, ActionState, ProgressUpdate
from tests.conftest import field_error, hidden_fields
from tests.factories import UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _update(client, action, **typed):
    url = f"/safeguards/roadmap-actions/{action.id}"
    target = f"{url}/updates"
    sent = {
        **hidden_fields(client.get(url).get_data(as_text=True), target),
        "narrative": "",
        "links": "",
        "to": "",
    }
    sent.update(typed)
    return client.post(target, data=sent, content_type="multipart/form-data")


def test_an_owner_posts_an_update_with_a_file_and_moves_the_action(client, login_as, owner, validated):
    _roadmap, action = validated
    login_as(owner)
    response = _update(
        client,
        action,
        narrative="Acordamos el modelo de datos con el BCB.",
        links="https://www.bcb.gov.br/pix",
        to="in_progress",
        file=(io.BytesIO(PNG), "acta.png"),
    )
    assert response.status_code == 302
    update = db.session.query(ProgressUpdate).one()
    assert update.state is ActionState.IN_PROGRESS and update.file.filename == "acta.png"
    assert db.session.get(Action, action.id).state is ActionState.IN_PROGRESS
    html = client.get(f"/safeguards/roadmap-actions/{action.id}").get_data(as_text=True)
    assert "Acordamos el modelo de datos" in html and "acta.png" in html


def test_a_bad_link_is_refused_and_the_narrative_kept(client, login_as, owner, validated):
    _roadmap, action = validated
    login_as(owner)
    response = _update(client, action, narrative="Avance parcial", links="javascript:alert(1)")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field_error(html, "links") and "Avance parcial" in html
    assert db.session.query(ProgressUpdate).count() == 0


def test_a_file_of_another_type_is_refused(client, login_as, owner, validated):
    _roadmap, action = validated
    login_as(owner)
    response = _update(
        client, action, narrative="Avance", file=(io.BytesIO(b"MZ\x90\x00 not a document"), "x.exe")
    )
    assert response.status_code == 422 and field_error(response.get_data(as_text=True), "file")


def test_only_owners_and_the_lead_post_updates(client, login_as, validated, pilot, csrf_token):
    _roadmap, action = validated
    contributor = UserFactory()
    db.session.commit()
    from safeguards import services
    from safeguards.models import TeamRole

    services.add_member(pilot, contributor, TeamRole.CONTRIBUTOR)
    db.session.commit()
    login_as(contributor)
    page = client.get(f"/safeguards/roadmap-actions/{action.id}").get_data(as_text=True)
    assert "/updates" not in page
    token = csrf_token(page=f"/safeguards/roadmaps/{action.roadmap_id}")
    response = client.post(
        f"/safeguards/roadmap-actions/{action.id}/updates",
        data={"csrf_token": token, "narrative": "x", "expected": "validated"},
    )
    assert response.status_code == 403


def test_an_update_from_an_outdated_page_is_refused_with_what_was_typed(client, login_as, owner, validated):
    _roadmap, action = validated
    login_as(owner)
    url = f"/safeguards/roadmap-actions/{action.id}"
    sent = hidden_fields(client.get(url).get_data(as_text=True), f"{url}/updates")
    action.state = ActionState.COMPLETED  # someone closed it meanwhile
    db.session.commit()
    response = client.post(f"{url}/updates", data={**sent, "narrative": "Tarde", "to": ""})
    assert response.status_code == 409 and "Tarde" in response.get_data(as_text=True)


def test_the_public_tracker_shows_the_last_update_and_its_file(client, login_as, owner, validated, app):
    roadmap, action = validated
    login_as(owner)
    _update(client, action, narrative="Primera entrega", to="in_progress")
    _update(client, action, narrative="Segunda entrega", file=(io.BytesIO(PNG), "entrega.png"))
    update = db.session.query(ProgressUpdate).order_by(ProgressUpdate.id.desc()).first()
    anonymous = app.test_client()
    assert anonymous.get(f"/safeguards/roadmap-updates/{update.id}/file").status_code == 404  # not public yet
    roadmap.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    html = anonymous.get(f"/safeguards/roadmaps/{roadmap.id}/public").get_data(as_text=True)
    assert "Segunda entrega" in html and "Primera entrega" not in html
    download = anonymous.get(f"/safeguards/roadmap-updates/{update.id}/file")
    assert download.status_code == 200 and download.data == PNG
    download.close()
    assert "Olga Owner" not in html  # who wrote it stays off the public page

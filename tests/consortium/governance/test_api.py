"""The governance API shows what the pages show the same caller: spaces by slug, consultations with their
published contributions, and each official response once the consultation publishes them."""

from __future__ import annotations

from consortium import transaction
from consortium.db import db as _db
from consortium.governance import services
from consortium.governance.contribution_models import Disposition
from consortium.governance.models import SeatRole, SpaceState


def test_spaces_are_listed_with_their_slug_in_the_requested_language(client, make_space):
    make_space()
    make_space(slug="borrador", state=SpaceState.DRAFT)
    body = client.get("/api/v1/spaces?lang=en").get_json()
    assert [item["slug"] for item in body["items"]] == ["pix-brasil"]
    item = body["items"][0]
    assert (item["title"], item["language"], item["is_fallback"]) == ("Espaço do Pix", "pt_BR", True)
    assert item["system"] == "pix" and body["more"] is False


def test_a_space_lists_its_roster_and_consultations_but_not_drafts(
    client, space, convenor, make_consultation
):
    opened = make_consultation(space)
    make_consultation(space, open_=False)
    body = client.get("/api/v1/spaces/pix-brasil").get_json()
    assert [c["id"] for c in body["consultations"]] == [opened.id]
    assert body["consultations"][0]["state"] == "open"
    assert [seat["role"] for seat in body["seats"]] == ["convenor"]


def test_hidden_spaces_answer_404(client, make_space):
    make_space(is_public=False)
    assert client.get("/api/v1/spaces/pix-brasil").status_code == 404
    assert client.get("/api/v1/spaces/nada").status_code == 404


def test_responses_appear_once_the_consultation_publishes_them(
    app, client, space, convenor, seat_in, make_consultation, mail_outbox
):
    consultation = make_consultation(space)
    author, focal = seat_in(space), seat_in(space, SeatRole.FOCAL_POINT)
    _db.session.commit()
    with app.test_request_context(), transaction.writing():  # the mail's link needs a request
        contribution = services.contribute(
            consultation.sections[0], by=author, organisation_id=None, body="Idea"
        )
        services.close_consultation(consultation, by=convenor)
        response = services.draft_response(
            contribution, by=focal, organisation_id=None, disposition=Disposition.ACCEPTED, rationale=""
        )
        services.approve_response(response, by=convenor)
        _db.session.commit()
    url = f"/api/v1/consultations/{consultation.id}"
    (item,) = client.get(url).get_json()["contributions"]
    assert (item["id"], item["response"]) == (contribution.id, None)
    with app.test_request_context(), transaction.writing():
        services.publish_responses(consultation, by=convenor)
        _db.session.commit()
    (item,) = client.get(url).get_json()["contributions"]
    assert item["response"]["disposition"] == "accepted" and item["response"]["published_at"]
    assert len(mail_outbox()) == 1

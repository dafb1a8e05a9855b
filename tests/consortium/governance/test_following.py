"""Following a space: a signed-in person follows it with a POST and gets one e-mail per event (a
consultation opens or closes, a decision is published), in their language, once the event is committed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.governance import services
from consortium.governance.records import SpaceFollow
from tests.conftest import hidden_fields
from tests.factories import UserFactory


def _follows(db) -> list[SpaceFollow]:
    db.session.expire_all()
    return db.session.scalars(sa.select(SpaceFollow)).all()


def _follow(client, space, step="follow", *, button=None):
    """POST ``step`` with the hidden fields of the page's ``button`` form (``step`` by default)."""
    base = f"/governance/spaces/{space.id}"
    fields = hidden_fields(client.get(base).get_data(as_text=True), f"{base}/{button or step}")
    return client.post(f"{base}/{step}", data=fields)


def test_a_signed_in_person_follows_and_unfollows_a_space(client, login_as, space, member, db):
    login_as(member)
    assert _follow(client, space).status_code == 302
    assert [(f.space_id, f.user_id) for f in _follows(db)] == [(space.id, member.id)]
    assert f"/governance/spaces/{space.id}/unfollow" in client.get(f"/governance/spaces/{space.id}").get_data(
        as_text=True
    )
    # a second follow (an older tab still showing the button): still one row
    assert _follow(client, space, button="unfollow").status_code == 302
    assert len(_follows(db)) == 1
    assert _follow(client, space, "unfollow").status_code == 302
    assert _follows(db) == []


def test_following_needs_csrf_and_an_account(client, login_as, space, member, db):
    assert client.post(f"/governance/spaces/{space.id}/follow").status_code in (400, 302, 401)
    login_as(member)
    client.post(f"/governance/spaces/{space.id}/follow")  # no CSRF token: nothing happens
    assert _follows(db) == []


def test_anonymous_visitors_see_no_follow_button(client, space):
    html = client.get(f"/governance/spaces/{space.id}").get_data(as_text=True)
    assert f"/governance/spaces/{space.id}/follow" not in html


def _follower(space, db, locale):
    person = UserFactory(locale=locale)
    db.session.commit()
    with transaction.writing():
        services.follow(space, person)
        db.session.commit()
    return person


def test_followers_get_one_mail_when_a_consultation_opens_closes_and_publishes_its_responses(
    client, login_as, space, convenor, make_consultation, mail_outbox, db
):
    pt, en = _follower(space, db, "pt_BR"), _follower(space, db, "en")
    UserFactory()  # not a follower
    db.session.commit()
    with client.application.test_request_context():  # the mail's links need the site's address
        consultation = make_consultation(space)
    opened = mail_outbox()
    assert sorted((m.to_email, m.locale) for m in opened) == sorted([(pt.email, "pt_BR"), (en.email, "en")])
    assert {m.template for m in opened} == {"governance/consultation_open"}
    assert all(f"/governance/consultations/{consultation.id}" in m.body_text for m in opened)
    login_as(convenor)
    page = f"/governance/consultations/{consultation.id}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/close")
    assert client.post(f"{page}/close", data=fields).status_code == 302
    closed = [m for m in mail_outbox() if m.template == "governance/consultation_closed"]
    assert len(closed) == 2
    # no contributions: the responses are published at once, and the followers told
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/publish")
    assert client.post(f"{page}/publish", data=fields).status_code == 302
    published = [m for m in mail_outbox() if m.template == "governance/consultation_published"]
    assert sorted(m.locale for m in published) == ["en", "pt_BR"]


def test_followers_get_one_mail_when_a_decision_is_published(
    login_as, space, convenor, submit, mail_outbox, db
):
    follower = _follower(space, db, "es")
    login_as(convenor)
    data = {"text": "Decidimos.", "rationale": "Porque sí.", "language": "es", "meeting_id": "0"}
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 302
    (message,) = mail_outbox()
    assert (message.to_email, message.template) == (follower.email, "governance/decision_published")
    assert "Decidimos." in message.body_text and "Decidimos" not in message.subject


def test_a_refused_event_tells_nobody(login_as, space, convenor, submit, mail_outbox, db):
    _follower(space, db, "es")
    login_as(convenor)
    data = {"text": "Decidimos.", "rationale": "", "language": "es", "meeting_id": "0"}
    assert submit(f"/governance/spaces/{space.id}/decisions/new", data).status_code == 200
    assert mail_outbox() == []


@pytest.mark.usefixtures("mail_outbox")
def test_following_twice_at_once_makes_one_row(post_at_once, client, login_as, space, member, db):
    login_as(member)
    page, action = f"/governance/spaces/{space.id}", f"/governance/spaces/{space.id}/follow"
    data = hidden_fields(client.get(page).get_data(as_text=True), action)
    answers = post_at_once(client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    assert [(f.space_id, f.user_id) for f in _follows(db)] == [(space.id, member.id)]

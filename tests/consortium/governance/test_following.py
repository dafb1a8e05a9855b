"""Following a space or one consultation: a signed-in person follows it with a POST, choosing a daily or
weekly digest (``test_digests`` covers what the digest says and that it goes once per period)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.governance.records import ConsultationFollow, DigestFrequency, SpaceFollow
from tests.conftest import hidden_fields


def _follows(db) -> list[SpaceFollow]:
    db.session.expire_all()
    return db.session.scalars(sa.select(SpaceFollow)).all()


def _follow(client, space, step="follow", *, button=None, **data):
    """POST ``step`` with the hidden fields of the page's ``button`` form (``step`` by default)."""
    base = f"/governance/spaces/{space.id}"
    fields = hidden_fields(client.get(base).get_data(as_text=True), f"{base}/{button or step}")
    return client.post(f"{base}/{step}", data={**fields, **data})


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


@pytest.mark.usefixtures("mail_outbox")
def test_following_twice_at_once_makes_one_row(post_at_once, client, login_as, space, member, db):
    login_as(member)
    page, action = f"/governance/spaces/{space.id}", f"/governance/spaces/{space.id}/follow"
    data = hidden_fields(client.get(page).get_data(as_text=True), action)
    answers = post_at_once(client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    assert [(f.space_id, f.user_id) for f in _follows(db)] == [(space.id, member.id)]


def test_a_follower_chooses_a_weekly_digest_and_sees_it_on_the_page(client, login_as, space, member, db):
    login_as(member)
    assert _follow(client, space, frequency="weekly").status_code == 302
    assert [f.frequency for f in _follows(db)] == [DigestFrequency.WEEKLY]
    html = client.get(f"/governance/spaces/{space.id}").get_data(as_text=True)
    assert "Lo sigue (Resumen semanal)." in html
    assert '<option selected value="weekly">' in html
    assert _follow(client, space, frequency="daily").status_code == 302  # following again changes it
    assert [f.frequency for f in _follows(db)] == [DigestFrequency.DAILY]
    assert _follow(client, space, frequency="hourly").status_code == 302  # not a choice: nothing changes
    assert [f.frequency for f in _follows(db)] == [DigestFrequency.DAILY]


def test_a_person_follows_and_unfollows_one_consultation(
    client, login_as, space, member, make_consultation, db
):
    consultation = make_consultation(space)
    login_as(member)
    page = f"/governance/consultations/{consultation.id}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/follow")
    assert client.post(f"{page}/follow", data={**fields, "frequency": "weekly"}).status_code == 302
    db.session.expire_all()
    follows = db.session.scalars(sa.select(ConsultationFollow)).all()
    assert [(f.consultation_id, f.user_id, f.frequency) for f in follows] == [
        (consultation.id, member.id, DigestFrequency.WEEKLY)
    ]
    assert _follows(db) == []  # the space itself is not followed
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/unfollow")
    assert client.post(f"{page}/unfollow", data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(sa.select(ConsultationFollow)).all() == []


def test_a_draft_consultation_cannot_be_followed(client, login_as, space, member, make_consultation, db):
    draft = make_consultation(space, open_=False)
    login_as(member)
    html = client.get(f"/governance/spaces/{space.id}").get_data(as_text=True)
    fields = hidden_fields(html, f"/governance/spaces/{space.id}/follow")
    assert client.post(f"/governance/consultations/{draft.id}/follow", data=fields).status_code == 404
    db.session.expire_all()
    assert db.session.scalars(sa.select(ConsultationFollow)).all() == []


def test_my_home_lists_what_i_follow_and_how_often(client, login_as, space, member, make_consultation, db):
    consultation = make_consultation(space)
    login_as(member)
    assert _follow(client, space, frequency="weekly").status_code == 302
    page = f"/governance/consultations/{consultation.id}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/follow")
    assert client.post(f"{page}/follow", data=fields).status_code == 302
    html = client.get("/home").get_data(as_text=True)
    assert "Lo que sigue" in html
    assert "Espacio de Pix" in html and "Resumen semanal" in html
    assert "Consulta sobre Pix" in html and "Resumen diario" in html


def test_the_digest_choices_read_in_the_visitors_language(client, login_as, space, member, db):
    member.locale = "pt_BR"
    db.session.commit()
    login_as(member)
    html = client.get(f"/governance/spaces/{space.id}").get_data(as_text=True)
    assert "Resumo diário" in html and "Resumo semanal" in html and "Daily digest" not in html

"""Moderation before or after publication: a pending contribution waits hidden until a moderator (seat
moderator or convenor, or staff) publishes it; a published one can be hidden with a reason its author
reads. Nothing is deleted, and each move leaves one audit record even when two arrive at once."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.governance.contribution_models import Contribution, Visibility
from consortium.governance.models import Moderation, SeatRole
from tests.conftest import hidden_fields
from tests.consortium.governance.contributing import audited as _audited
from tests.consortium.governance.contributing import contribute as _contribute
from tests.consortium.governance.contributing import logout_form as _logout_form
from tests.consortium.governance.contributing import page as _page
from tests.consortium.governance.contributing import person as _person
from tests.consortium.governance.contributing import post as _post
from tests.consortium.governance.contributing import rows as _rows


def test_before_publication_a_contribution_waits_hidden_for_a_moderator(
    app, client, login_as, space, seat_in, convenor, make_consultation, db
):
    consultation = make_consultation(space, moderation=Moderation.PRE)
    author = seat_in(space, user=_person())
    login_as(author)
    assert _contribute(client, consultation, body="Texto por moderar").status_code == 302
    (contribution,) = _rows(db, Contribution)
    assert contribution.visibility is Visibility.PENDING and not contribution.is_published
    html = client.get(_page(consultation)).get_data(as_text=True)
    assert "Texto por moderar" in html and "Waiting for moderation" in html  # the author sees it
    visitor = app.test_client()
    assert "Texto por moderar" not in visitor.get(_page(consultation)).get_data(as_text=True)
    # it is not waiting for a response: closing is not held up by it
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Contribution).where(Contribution.published_clause())
        )
        == 0
    )
    moderator = seat_in(space, SeatRole.MODERATOR)
    login_as(moderator)
    publish = f"/governance/contributions/{contribution.id}/publish"
    assert _post(client, consultation, publish).status_code == 302
    assert _rows(db, Contribution)[0].is_published
    assert "Texto por moderar" in visitor.get(_page(consultation)).get_data(as_text=True)
    (event,) = _audited(db, "governance.contribution_published")
    assert (event.object_id, event.actor_id) == (str(contribution.id), moderator.id)


def test_after_publication_a_moderator_hides_with_a_reason_the_author_reads(
    app, client, login_as, staff, space, seat_in, convenor, make_consultation, db
):
    consultation = make_consultation(space)
    author = seat_in(space, user=_person())
    login_as(author)
    _contribute(client, consultation, body="Un insulto")
    (contribution,) = _rows(db, Contribution)
    assert contribution.is_published
    hide = f"/governance/contributions/{contribution.id}/hide"
    # a member who does not moderate cannot
    login_as(seat_in(space))
    html = client.get(_page(consultation)).get_data(as_text=True)
    assert hide not in html
    assert client.post(hide, data=hidden_fields(_logout_form(html), "x")).status_code == 403
    # without a reason nothing changes
    login_as(convenor)
    _post(client, consultation, hide, **{f"m{contribution.id}-reason": ""})
    assert _rows(db, Contribution)[0].is_published
    _post(client, consultation, hide, **{f"m{contribution.id}-reason": "Falta de respeto."})
    hidden = _rows(db, Contribution)[0]
    assert (hidden.visibility, hidden.moderation_reason) == (Visibility.HIDDEN, "Falta de respeto.")
    assert "Un insulto" not in app.test_client().get(_page(consultation)).get_data(as_text=True)
    login_as(author)
    html = client.get(_page(consultation)).get_data(as_text=True)
    assert "Un insulto" in html and "Falta de respeto." in html
    (event,) = _audited(db, "governance.contribution_hidden")
    assert event.object_id == str(contribution.id) and "Falta de respeto." in event.summary
    # staff moderate too: publishing it again
    login_as(staff)
    _post(client, consultation, f"/governance/contributions/{contribution.id}/publish")
    assert _rows(db, Contribution)[0].is_published


def test_hiding_twice_at_once_makes_one_move_and_one_audit_record(
    post_at_once, client, login_as, written, convenor, db
):
    login_as(convenor)
    page = _page(written.consultation)
    action = f"/governance/contributions/{written.id}/hide"
    data = {
        **hidden_fields(client.get(page).get_data(as_text=True), action),
        f"m{written.id}-reason": "Spam.",
    }
    answers = post_at_once(client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    assert _rows(db, Contribution)[0].visibility is Visibility.HIDDEN
    assert len(_audited(db, "governance.contribution_hidden")) == 1

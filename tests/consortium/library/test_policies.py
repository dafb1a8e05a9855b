"""Who may read a version: everyone once it is published; before that, staff and its assigned translator."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from consortium.permissions import Permission, can
from tests.factories import UserFactory


@pytest.fixture
def draft_translation(make_resource):
    resource = make_resource({"es": ("Guía", "Texto."), "en": ("Guide", "Text.")}, published=("es",))
    return resource.version_in("en")


@pytest.mark.parametrize(
    ("who", "may_read_draft"),
    [("anonymous", False), ("member", False), ("translator", True), ("staff", True)],
)
def test_drafts_are_read_by_staff_and_their_translator_only(app, db, draft_translation, who, may_read_draft):
    user = {
        "anonymous": AnonymousUserMixin(),
        "member": UserFactory(),
        "translator": UserFactory(),
        "staff": UserFactory(staff=True),
    }[who]
    if who == "translator":
        draft_translation.translator_id = user.id
    published = draft_translation.resource.version_in("es")
    with app.test_request_context():
        assert can(Permission.LIBRARY_READ, published, user=user)
        assert can(Permission.LIBRARY_READ, draft_translation, user=user) is may_read_draft


def test_the_assigned_translator_previews_their_draft(client, login_as, db, draft_translation):
    translator = UserFactory()
    draft_translation.translator_id = translator.id
    db.session.commit()
    assert client.get(f"/library/en/{draft_translation.slug}").status_code == 404
    login_as(translator)
    assert client.get(f"/library/en/{draft_translation.slug}").status_code == 200

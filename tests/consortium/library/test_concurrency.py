"""Each library form that creates something, sent twice at once by two server processes, creates it once."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from consortium.library.models import Attachment, Resource, ResourceVersion, Topic, TranslationRequest
from consortium.storage import StoredFile
from tests.conftest import hidden_fields

ROUNDS = 3
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _form(client, page: str, action: str | None = None) -> dict:
    return hidden_fields(client.get(page).get_data(as_text=True), action or page)


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def staff_client(client, login_as, staff):
    return login_as(staff)


def test_a_new_resource_sent_twice_at_once_is_created_once(post_at_once, staff_client, db):
    data = {
        **_form(staff_client, "/library/manage/new"),
        "original_language": "es",
        "title": "Guía nueva",
        "kind": "guide",
        "licence": "CC BY 4.0",
    }
    answers = post_at_once(staff_client, "/library/manage/new", data)
    assert {status for status, _ in answers} == {302} and len({url for _, url in answers}) == 1, answers
    assert _count(db, Resource) == 1 and _count(db, ResourceVersion) == 1


def test_a_new_topic_sent_twice_at_once_is_added_once_without_an_error(post_at_once, staff_client, db):
    page = "/library/manage/topics"
    data = {**_form(staff_client, page), "slug": "inclusion", "name_es": "Inclusión"}
    answers = post_at_once(staff_client, page, data)
    # The second answer is the one the browser shows after a double click: not "this topic exists".
    assert answers == [(302, page), (302, page)], answers
    assert _count(db, Topic) == 1


def test_a_new_translation_sent_twice_at_once_is_created_once(post_at_once, staff_client, make_resource, db):
    resource = make_resource({"en": ("Consent guide", "Consent must be informed.")})
    page = f"/library/manage/{resource.id}/es"
    answers = post_at_once(
        staff_client, page, {**_form(staff_client, page), "title": "Guía", "body": "Texto."}
    )
    statuses = sorted(status for status, _ in answers)
    # The later one finds the version saved and shows it beside what was typed (409), never an error.
    assert statuses[0] == 302 and set(statuses) <= {302, 409}, answers
    assert _count(db, ResourceVersion) == 2


def test_an_attachment_sent_twice_at_once_is_stored_once(post_at_once, app, staff_client, make_resource, db):
    resource = make_resource({"es": ("Guía con anexo", "Texto.")})
    page, action = (
        f"/library/manage/{resource.id}/es",
        f"/library/manage/versions/{resource.original.id}/attachment",
    )
    folder = Path(app.config["UPLOAD_FOLDER"])
    files_before = set(folder.rglob("*"))
    data = {**_form(staff_client, page, action), "file": (PDF, "a.pdf")}
    answers = post_at_once(staff_client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    (attachment,) = db.session.scalars(sa.select(Attachment)).all()
    # no orphan file: one stored file, and nothing else on disk (nothing at all with the database backend)
    assert db.session.scalars(sa.select(StoredFile.key)).all() == [attachment.stored_name]
    new_files = {path for path in set(folder.rglob("*")) - files_before if path.is_file()}
    assert new_files <= {folder / attachment.stored_name}


def test_a_translation_request_sent_twice_at_once_counts_once(
    post_at_once, client, login_as, member, make_resource, db
):
    resource = make_resource({"en": ("Guide", "x")})
    login_as(member)
    action = f"/library/resources/{resource.id}/request-translation"
    data = {**_form(client, "/library/en/guide", action), "language": "es"}
    answers = post_at_once(client, action, data, page="/library/en/guide")
    assert {status for status, _ in answers} == {302}, answers
    assert _count(db, TranslationRequest) == 1


def test_simultaneous_downloads_are_all_served_and_counted(
    app, get_at_once, post_at_once, staff_client, make_resource, db
):
    resource = make_resource({"es": ("Guía con anexo", "Texto.")})
    page, action = (
        f"/library/manage/{resource.id}/es",
        f"/library/manage/versions/{resource.original.id}/attachment",
    )
    post_at_once(
        staff_client, action, {**_form(staff_client, page, action), "file": (PDF, "a.pdf")}, page=page
    )
    attachment = db.session.scalar(sa.select(Attachment))
    reader = app.test_client()
    answers = []
    for _ in range(ROUNDS):
        answers += get_at_once(
            reader, f"/library/attachments/{attachment.id}/a.pdf", page="/library/es/guia-con-anexo"
        )
    assert [status for status, _ in answers] == [200] * len(answers), answers
    db.session.refresh(attachment)
    assert attachment.download_count == len(answers)

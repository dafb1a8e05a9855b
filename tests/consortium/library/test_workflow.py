"""Translation workflow and staff tools: review by a second person, outdated marking, board, audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.library import services
from consortium.library.models import Resource, ResourceVersion, Topic, VersionStatus
from tests.conftest import hidden_fields
from tests.factories import UserFactory


def _post(client, page, action, **kwargs):
    """POST a workflow button even when the page hides it, with the page's CSRF token."""
    token = hidden_fields(client.get(page).get_data(as_text=True), page)["csrf_token"]
    return client.post(action, data={"csrf_token": token}, **kwargs)


def _version(db, resource_id, language) -> ResourceVersion:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(ResourceVersion).where(
            ResourceVersion.resource_id == resource_id, ResourceVersion.language == language
        )
    )


@pytest.fixture
def guide(make_resource):
    return make_resource({"en": ("Consent guide", "Consent must be informed.", "Consent.")})


def _translate(submit, resource_id, title="Guía de consentimiento", on=None):
    page = f"/library/manage/{resource_id}/es"
    return submit(page, {"title": title, "summary": "Consentimiento.", "body": "El consentimiento."}, on=on)


def test_translator_cannot_publish_their_own_translation(client, submit, login_as, staff, guide, db):
    login_as(staff)
    assert _translate(submit, guide.id).status_code == 302
    version = _version(db, guide.id, "es")
    assert version.status is VersionStatus.IN_TRANSLATION and version.translator_id == staff.id
    page = f"/library/manage/{guide.id}/es"
    submit(page, {}, action=f"/library/manage/versions/{version.id}/submit")
    assert _version(db, guide.id, "es").status is VersionStatus.IN_REVIEW
    response = _post(client, page, f"/library/manage/versions/{version.id}/publish", follow_redirects=True)
    assert "Una segunda persona debe revisar esta traducción" in response.get_data(as_text=True)
    assert _version(db, guide.id, "es").status is VersionStatus.IN_REVIEW
    assert client.get("/library/es/guia-de-consentimiento").status_code == 200  # staff preview only

    reviewer = UserFactory(staff=True)
    db.session.commit()
    second = client.application.test_client()
    login_as(reviewer, on=second)
    submit(page, {}, action=f"/library/manage/versions/{version.id}/publish", on=second)
    version = _version(db, guide.id, "es")
    assert version.status is VersionStatus.PUBLISHED and version.reviewer_id == reviewer.id
    assert client.application.test_client().get("/library/es/guia-de-consentimiento").status_code == 200
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"library.review_requested", "library.version_reviewed_and_published"} <= actions


def test_a_translation_is_not_published_without_review(client, submit, login_as, staff, guide, db):
    login_as(staff)
    _translate(submit, guide.id)
    version = _version(db, guide.id, "es")
    other = UserFactory(staff=True)
    db.session.commit()
    second = client.application.test_client()
    login_as(other, on=second)
    page = f"/library/manage/{guide.id}/es"
    response = _post(second, page, f"/library/manage/versions/{version.id}/publish", follow_redirects=True)
    assert "Una traducción solo se publica después de revisarse" in response.get_data(as_text=True)
    assert _version(db, guide.id, "es").status is VersionStatus.IN_TRANSLATION


def test_changing_the_original_marks_published_translations_outdated_until_revised(
    client, submit, login_as, staff, make_resource, db
):
    resource = make_resource(
        {"en": ("Consent guide", "Old text."), "es": ("Guía de consentimiento", "Texto.")}
    )
    login_as(staff)
    assert _version(db, resource.id, "es").is_outdated is False
    submit(
        f"/library/manage/{resource.id}/en", {"title": "Consent guide", "summary": "", "body": "New text."}
    )
    translation = _version(db, resource.id, "es")
    assert translation.is_outdated and translation.is_published
    reader = client.application.test_client()
    reader.set_cookie("lang", "es")
    notice = "El original de esta traducción cambió desde entonces"
    assert notice in reader.get("/library/es/guia-de-consentimiento").get_data(as_text=True)
    board = client.get("/library/translations").get_data(as_text=True)
    assert "Consent guide" in board
    submit(f"/library/manage/{resource.id}/es", {"title": "Guía de consentimiento", "body": "Texto nuevo."})
    translation = _version(db, resource.id, "es")
    assert (
        not translation.is_outdated
        and translation.source_revision == _version(db, resource.id, "en").revision
    )


def test_editing_the_original_without_changing_text_keeps_translations_current(
    submit, login_as, staff, make_resource, db
):
    resource = make_resource({"en": ("Guide", "Text."), "es": ("Guía", "Texto.")})
    login_as(staff)
    submit(f"/library/manage/{resource.id}/en", {"title": "Guide", "summary": "", "body": "Text."})
    assert not _version(db, resource.id, "es").is_outdated


def test_board_is_sorted_by_reader_demand_and_shows_coverage(client, login_as, staff, make_resource, db):
    from consortium.library import services

    quiet = make_resource({"en": ("Quiet guide", "x")})
    wanted = make_resource({"en": ("Wanted guide", "x")})
    make_resource({"es": ("Guía", "x"), "pt_BR": ("Guia", "x")})
    for _ in range(3):
        services.request_translation(wanted, "es", UserFactory())
    db.session.commit()
    login_as(staff)
    html = client.get("/library/translations").get_data(as_text=True)
    assert html.index("Wanted guide") < html.index("Quiet guide")
    assert "33%" in html.replace("\xa0", "").replace(" ", "")  # 1 of 3 published resources in es and pt_BR
    assert quiet.id


@pytest.mark.parametrize(
    ("who", "board", "manage"),
    [("anonymous", 302, 302), ("member", 403, 403), ("staff", 200, 200), ("admin", 200, 200)],
)
def test_access_to_board_and_staff_tools(client, login_as, who, board, manage, db):
    if who != "anonymous":
        login_as(UserFactory(**({who: True} if who in ("staff", "admin") else {})))
    assert client.get("/library/translations").status_code == board
    assert client.get("/library/manage").status_code == manage
    assert client.get("/library/manage/new").status_code == manage
    assert client.get("/library/manage/topics").status_code == manage


def test_an_assigned_member_translates_that_version_only(
    client, submit, login_as, staff, make_resource, db, mail_outbox
):
    resource = make_resource({"en": ("Guide", "x")})
    other = make_resource({"en": ("Other guide", "y")})
    translator = UserFactory(email="traductora@example.org")
    db.session.commit()
    staff_client = client.application.test_client()
    login_as(staff, on=staff_client)
    submit(f"/library/manage/{resource.id}/es", {"title": "Guía (borrador)"}, on=staff_client)
    version = _version(db, resource.id, "es")
    submit(
        f"/library/manage/{resource.id}/es",
        {"email": "traductora@example.org"},
        action=f"/library/manage/versions/{version.id}/assign",
        on=staff_client,
    )
    (message,) = mail_outbox()
    assert (
        message.to_email == "traductora@example.org"
        and f"/library/manage/{resource.id}/es" in message.body_text
    )
    login_as(translator)
    assert f"/library/manage/{resource.id}/es" in client.get("/library/translations/mine").get_data(
        as_text=True
    )
    assert submit(f"/library/manage/{resource.id}/es", {"title": "Guía", "body": "Texto."}).status_code == 302
    assert _version(db, resource.id, "es").title == "Guía"
    assert client.get(f"/library/manage/{other.id}/es").status_code == 404
    assert client.get(f"/library/manage/{resource.id}/en").status_code in (403, 404)
    assert client.get("/library/translations").status_code == 403


def test_staff_create_publish_and_unpublish_a_resource(client, submit, login_as, staff, db, dpi_systems):
    login_as(staff)
    response = submit(
        "/library/manage/new",
        {
            "original_language": "es",
            "title": "Nueva guía",
            "summary": "Resumen.",
            "body": "Texto.",
            "kind": "guide",
            "countries": ["PE"],
            "systems": ["pix"],
            "principles": ["F1"],
            "authors": "Ana\nTomás",
            "licence": "CC BY 4.0",
        },
    )
    assert response.status_code == 302
    resource = db.session.scalar(sa.select(Resource))
    assert resource.authors == ["Ana", "Tomás"] and resource.countries == ["PE"]
    version = resource.original
    page = f"/library/manage/{resource.id}/es"
    submit(page, {}, action=f"/library/manage/versions/{version.id}/publish")
    reader = client.application.test_client()
    assert reader.get("/library/es/nueva-guia").status_code == 200
    submit(page, {}, action=f"/library/manage/versions/{version.id}/unpublish")
    assert reader.get("/library/es/nueva-guia").status_code == 404
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"library.version_published", "library.version_unpublished"} <= actions


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, login_as, staff, make_resource, db):
    resource = make_resource({"es": ("Guía", "x")})
    login_as(staff)
    page = f"/library/manage/{resource.id}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), "")
    resource.organisation = "Cambio de otra persona"
    db.session.commit()
    response = client.post(
        page, data={**fields, "kind": "report", "original_language": "es", "organisation": "Mío"}
    )
    assert response.status_code == 409 and 'value="Mío"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Resource, resource.id).organisation == "Cambio de otra persona"


def test_staff_manage_topics(client, submit, login_as, staff, make_resource, db):
    login_as(staff)
    submit("/library/manage/topics", {"slug": "inclusion", "name_es": "Inclusión", "name_en": "Inclusion"})
    topic = db.session.scalar(sa.select(Topic))
    assert topic.names == {"es": "Inclusión", "en": "Inclusion"}
    submit(
        f"/library/manage/topics/{topic.id}",
        {"name_es": "Inclusión digital", "name_pt_BR": "Inclusão digital"},
    )
    db.session.expire_all()
    assert (
        topic.names == {"es": "Inclusión digital", "pt_BR": "Inclusão digital"} and topic.slug == "inclusion"
    )
    resource = make_resource({"es": ("Guía", "x")}, topic_slugs=["inclusion"])
    reader = client.application.test_client()
    assert "Guía" in reader.get("/library?topic=inclusion").get_data(as_text=True)
    submit("/library/manage/topics", {}, action=f"/library/manage/topics/{topic.id}/delete")
    db.session.expire_all()
    assert db.session.get(Resource, resource.id).topic_slugs == []


def test_board_query_count_does_not_grow(client, login_as, staff, make_resource, count_queries, db):
    def seed(n, start):
        for i in range(start, start + n):
            make_resource({"en": (f"Guide {i}", "x"), "es": (f"Guía {i}", "x")}, commit=False)
        db.session.commit()

    login_as(staff)
    seed(3, 0)
    client.get("/library/translations")
    with count_queries() as few:
        client.get("/library/translations")
    seed(9, 3)
    with count_queries() as many:
        html = client.get("/library/translations").get_data(as_text=True)
    assert "Guide 11" in html
    assert len(few) == len(many)


def test_two_people_editing_one_version_do_not_overwrite_each_other(
    client, login_as, staff, make_resource, db
):
    resource = make_resource({"es": ("Guía", "Texto original.")})
    page = f"/library/manage/{resource.id}/es"
    login_as(staff)
    other = client.application.test_client()
    login_as(UserFactory(staff=True), on=other)
    first = hidden_fields(client.get(page).get_data(as_text=True), page)
    second = hidden_fields(other.get(page).get_data(as_text=True), page)
    assert client.post(page, data={**first, "title": "Guía", "body": "Primera edición."}).status_code == 302
    response = other.post(page, data={**second, "title": "Guía", "body": "Segunda edición."})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Segunda edición." in html and "Primera edición." in html
    assert _version(db, resource.id, "es").body == "Primera edición."


NEW = {
    "original_language": "es",
    "title": "Guía nueva",
    "summary": "Un resumen.",
    "kind": "guide",
    "licence": "CC",
}


def test_a_double_submitted_new_resource_is_created_once(client, login_as, staff, db):
    login_as(staff)
    fields = hidden_fields(client.get("/library/manage/new").get_data(as_text=True), "")
    first = client.post("/library/manage/new", data={**fields, **NEW})
    second = client.post("/library/manage/new", data={**fields, **NEW})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resource)) == 1


def test_bad_input_is_shown_again_with_an_error_and_what_was_typed(client, submit, login_as, staff, db):
    login_as(staff)
    response = submit("/library/manage/new", {**NEW, "title": "", "source_url": "not a url"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Un resumen." in html and 'value="not a url"' in html
    assert "error-summary" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resource)) == 0


def test_an_assignment_that_fails_to_commit_queues_no_mail(
    client, submit, login_as, staff, make_resource, db, mail_outbox, commit_fails
):
    resource = make_resource({"en": ("Guide", "x")})
    UserFactory(email="traductora@example.org")
    login_as(staff)
    page = f"/library/manage/{resource.id}/es"
    submit(page, {"title": "Guía (borrador)"})
    version = _version(db, resource.id, "es")
    action = f"/library/manage/versions/{version.id}/assign"
    commit_fails(action)

    assert submit(page, {"email": "traductora@example.org"}, action=action).status_code == 500

    db.session.rollback()
    assert mail_outbox() == []
    assert _version(db, resource.id, "es").translator_id == staff.id  # unchanged: still who drafted it


def test_an_edit_that_loses_the_race_at_save_is_shown_beside_the_saved_version(
    client, login_as, staff, make_resource, db, monkeypatch
):
    resource = make_resource({"es": ("Guía", "Texto original.")})
    page = f"/library/manage/{resource.id}/es"
    login_as(staff)
    fields = hidden_fields(client.get(page).get_data(as_text=True), page)
    save_version = services.save_version

    def someone_else_saves_first(found, language, **kwargs):
        # As if their commit had landed between this request's check of the version and its UPDATE.
        db.session.execute(
            sa.update(ResourceVersion)
            .where(ResourceVersion.resource_id == found.id, ResourceVersion.language == language)
            .values(version=ResourceVersion.version + 1)
            .execution_options(synchronize_session=False)
        )
        return save_version(found, language, **kwargs)

    monkeypatch.setattr(services, "save_version", someone_else_saves_first)
    response = client.post(page, data={**fields, "title": "Guía", "body": "Mi edición."})

    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Mi edición." in html and "Texto original." in html
    assert _version(db, resource.id, "es").body == "Texto original."


def test_a_topic_whose_short_name_exists_is_refused_and_can_be_corrected(client, submit, login_as, staff, db):
    login_as(staff)
    submit("/library/manage/topics", {"slug": "inclusion", "name_es": "Inclusión"})
    page = "/library/manage/topics"
    fields = hidden_fields(client.get(page).get_data(as_text=True), page)

    taken = client.post(page, data={**fields, "slug": "Inclusión", "name_es": "Inclusión digital"})

    html = taken.get_data(as_text=True)
    assert taken.status_code == 200 and "Ya existe un tema con este nombre corto." in html
    assert 'value="Inclusión digital"' in html
    corrected = client.post(
        page, data={**fields, "slug": "inclusion-digital", "name_es": "Inclusión digital"}
    )
    assert corrected.status_code == 302
    assert sorted(db.session.scalars(sa.select(Topic.slug))) == ["inclusion", "inclusion-digital"]


def test_an_unknown_translator_address_is_shown_on_the_page_with_what_was_typed(
    client, submit, login_as, staff, make_resource, db
):
    resource = make_resource({"en": ("Guide", "x")})
    login_as(staff)
    page = f"/library/manage/{resource.id}/es"
    submit(page, {"title": "Guía (borrador)"})
    version = _version(db, resource.id, "es")
    response = submit(
        page, {"email": "nadie@example.org"}, action=f"/library/manage/versions/{version.id}/assign"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Nadie tiene una cuenta con ese correo electrónico." in html and 'value="nadie@example.org"' in html
    )

"""The staff framework pages over HTTP: who may open them, upload → preview → import, errors by line in the
reader's language, publish and discard with a confirmation, the translation work with its form, and the same
import or publication sent by two server processes at once (``tests.parallel``)."""

from __future__ import annotations

import html as html_lib
import io
import json

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from safeguards import framework as fw
from safeguards.models import FrameworkVersion, Process
from tests.conftest import hidden_fields
from tests.factories import UserFactory
from tests.parallel import Workers
from tests.safeguards.test_framework_import import reference_shape, to_csv

PAGES = [
    "/safeguards/frameworks",
    "/safeguards/frameworks/import",
    "/safeguards/frameworks/1.0",
    "/safeguards/frameworks/1.0/translations",
    "/safeguards/frameworks/1.0/processes/F1.1/texts",
    "/safeguards/frameworks/1.0/publish",
]


def v101() -> dict:
    return json.loads((fw.FRAMEWORKS_DIR / "v1.0.1.json").read_text())


@pytest.fixture
def staff_client(app, login_as, staff, framework, db):
    staff.locale = None  # pages follow Accept-Language, English unless a test asks for another language
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return login_as(staff, on=client)


def upload(client, raw: bytes, filename="framework.json", version="1.1", language="en"):
    headers = {"Accept-Language": language}
    page = client.get("/safeguards/frameworks/import", headers=headers).get_data(as_text=True)
    fields = hidden_fields(page, "")
    body = {**fields, "version": version, "file": (io.BytesIO(raw), filename)}
    return client.post(
        "/safeguards/frameworks/import", data=body, content_type="multipart/form-data", headers=headers
    )


def confirm(client, preview_html: str):
    fields = hidden_fields(preview_html, "/safeguards/frameworks/import/confirm")
    return client.post(
        "/safeguards/frameworks/import/confirm", data=fields, headers={"Accept-Language": "en"}
    )


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("member", 403), ("staff", 200), ("admin", 200)]
)
def test_only_staff_and_admins_open_the_framework_pages(app, login_as, framework, path, role, expected):
    client = app.test_client()
    if role != "anonymous":
        login_as(UserFactory(staff=role == "staff", admin=role == "admin"), on=client)
    assert client.get(path).status_code == expected


def test_upload_preview_and_import_of_the_reference_shape(staff_client, db, staff):
    raw = json.dumps(reference_shape(v101()), indent=1).encode()
    preview = upload(staff_client, raw)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert (
        "7 processes added" in page
        and "0 processes removed" in page
        and "Changes against version 1.0" in page
    )
    assert "English title before: Implement a whisteblower channel" in page
    assert "8 processes will lack texts" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 1  # nothing yet
    done = confirm(staff_client, page)
    assert done.status_code == 302 and done.location.endswith("/safeguards/frameworks/1.1")
    draft = fw.by_version("1.1", drafts=True)
    assert draft is not None and not draft.is_published and fw.latest().version == "1.0"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "safeguards.framework_imported")
    )
    assert event.actor_id == staff.id
    again = confirm(staff_client, page)  # the same confirmation sent twice imports once
    assert (
        again.status_code == 302
        and db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 2
    )
    assert staff_client.get("/safeguards/framework/1.1").status_code == 404  # drafts are not public


def test_a_csv_upload_previews_what_it_removes(staff_client):
    processes = [p for p in v101()["processes"] if p["code"] != "F1.2"]
    page = upload(staff_client, to_csv(processes, ";"), "framework.csv").get_data(as_text=True)
    assert "7 processes added" in page and "1 process removed" in page
    removed = page[page.index("Removed") :]
    assert "<strong>F1.2</strong>" in removed


def test_errors_are_listed_by_line_in_the_readers_language(staff_client, db):
    twice = '  {"code": "F1.1", "principle": "F1", "title": "%s"}'
    raw = ("{\n" + ' "processes": [\n' + twice % "Ok" + ",\n" + twice % "x" + "\n ]\n}").encode()
    response = upload(staff_client, raw, language="es")
    page = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Línea 4: el código F1.1 aparece dos veces (primero en la línea 3)." in page
    response = upload(staff_client, b'{"processes": [,]}', language="pt-BR")
    assert "Linha 1, coluna 16: isto não é JSON válido." in html_lib.unescape(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 1


def test_a_tampered_or_outdated_preview_is_not_imported(staff_client, db):
    page = upload(staff_client, json.dumps(v101()).encode()).get_data(as_text=True)
    fields = hidden_fields(page, "/safeguards/frameworks/import/confirm")
    fields["payload"] = fields["payload"][:-3] + "abc"
    response = staff_client.post("/safeguards/frameworks/import/confirm", data=fields)
    assert response.status_code == 302 and response.location.endswith("/safeguards/frameworks/import")
    fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.1.json")  # published meanwhile
    db.session.commit()
    stale = confirm(staff_client, page)
    assert stale.status_code == 409 and "Another version was published" in stale.get_data(as_text=True)
    assert fw.by_version("1.1", drafts=True) is None


def test_a_version_number_already_used_is_refused_beside_the_field(staff_client):
    response = upload(staff_client, json.dumps(v101()).encode(), version="1.0")
    assert response.status_code == 422 and "There is already a version with this number" in response.get_data(
        as_text=True
    )


def imported(staff_client, document=None) -> FrameworkVersion:
    page = upload(staff_client, json.dumps(document or reference_shape(v101())).encode()).get_data(
        as_text=True
    )
    confirm(staff_client, page)
    return fw.by_version("1.1", drafts=True)


def test_publish_asks_first_then_new_assessments_use_the_version(staff_client, db):
    imported(staff_client)
    ask = staff_client.get("/safeguards/frameworks/1.1/publish", headers={"Accept-Language": "en"})
    assert "8 processes still lack texts" in ask.get_data(as_text=True)
    assert fw.latest().version == "1.0"  # asking changes nothing
    fields = hidden_fields(ask.get_data(as_text=True), "")
    assert staff_client.post("/safeguards/frameworks/1.1/publish", data=fields).status_code == 302
    db.session.expire_all()
    assert fw.latest().version == "1.1" and staff_client.get("/safeguards/framework/1.1").status_code == 200
    refused = staff_client.post("/safeguards/frameworks/1.1/discard", data=fields)
    assert refused.status_code == 302 and fw.by_version("1.1") is not None


def test_a_draft_is_removed_after_confirmation(staff_client, db):
    imported(staff_client)
    ask = staff_client.get("/safeguards/frameworks/1.1/discard")
    fields = hidden_fields(ask.get_data(as_text=True), "")
    assert staff_client.post("/safeguards/frameworks/1.1/discard", data=fields).status_code == 302
    assert fw.by_version("1.1", drafts=True) is None


def test_translation_work_page_and_form_fill_in_the_missing_texts(staff_client, db):
    draft = imported(staff_client)
    listing = staff_client.get("/safeguards/frameworks/1.1/translations", headers={"Accept-Language": "en"})
    page = listing.get_data(as_text=True)
    assert "8 processes lack texts." in page and "/safeguards/frameworks/1.1/processes/F7.5/texts" in page
    url = "/safeguards/frameworks/1.1/processes/F7.5/texts"
    form = staff_client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "In version 1.0:" in form and "Implementar un canal de denuncias que permita" in form
    fields = hidden_fields(form, "")
    process = db.session.scalar(
        sa.select(Process).where(Process.framework_id == draft.id, Process.code == "F7.5")
    )
    texts = {
        f"{name}_{lang}": (getattr(process, name) or {}).get(lang, "")
        for name in ("title", "question", "evidence")
        for lang in ("en", "es", "pt_BR")
    }
    texts |= {
        "title_es": "Implementar un canal de denuncias",
        "title_pt_BR": "Implementar um canal de denúncias",
    }
    saved = staff_client.post(url, data={**fields, **texts})
    assert saved.status_code == 302
    db.session.expire_all()
    assert fw.index(draft.id).by_code()["F7.5"].title["es"] == "Implementar un canal de denuncias"
    # a second editor who opened the form before that save is told, and sees both texts
    late = staff_client.post(
        url, data={**fields, **texts, "title_es": "Otro título"}, headers={"Accept-Language": "en"}
    )
    late_page = html_lib.unescape(late.get_data(as_text=True))
    assert late.status_code == 409 and "Someone else saved these texts" in late_page
    assert (
        'value="Otro título"' in late_page
        and "Saved meanwhile: Implementar un canal de denuncias" in late_page
    )
    control = staff_client.post(
        url,
        data={
            **hidden_fields(staff_client.get(url).get_data(as_text=True), ""),
            **texts,
            "title_es": "Tab\there",
        },
    )
    assert control.status_code == 422


def test_a_published_versions_form_fills_in_only_the_empty_texts(staff_client, db):
    draft = imported(staff_client)
    publish = staff_client.get("/safeguards/frameworks/1.1/publish").get_data(as_text=True)
    staff_client.post("/safeguards/frameworks/1.1/publish", data=hidden_fields(publish, ""))
    url = "/safeguards/frameworks/1.1/processes/O8.6/texts"
    form = staff_client.get(url).get_data(as_text=True)
    assert 'name="title_en"' not in form and "Ensure budgetary allocation" in form  # shown, not editable
    sent = staff_client.post(url, data={**hidden_fields(form, ""), "title_es": "Garantizar la asignación"})
    assert sent.status_code == 302
    db.session.expire_all()
    title = fw.index(draft.id).by_code()["O8.6"].title
    assert title["es"] == "Garantizar la asignación" and title["en"].startswith("Ensure budgetary allocation")


def test_staff_home_counts_the_translation_work(app, staff_client, staff):
    from consortium import worklist

    imported(staff_client)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        items = [i for i in worklist.waiting_for(staff) if "Framework" in i.label]
        assert [(i.count, i.url) for i in items] == [(8, "/safeguards/frameworks/1.1/translations")]
        assert worklist.waiting_for(UserFactory()) == [] or all(
            "Framework" not in i.label for i in worklist.waiting_for(UserFactory())
        )


def test_a_file_too_big_to_carry_to_the_confirmation_is_refused(staff_client, monkeypatch):
    monkeypatch.setattr("safeguards.views.framework.MAX_PAYLOAD", 20_000)
    response = upload(staff_client, json.dumps(v101()).encode())
    assert response.status_code == 422
    assert "more text than one import can carry" in response.get_data(as_text=True)


# Two staff members at the same moment, from two server processes ------------------------------------


@pytest.fixture(scope="module")
def workers(app):
    started = Workers(app)
    yield started
    started.close()


def test_the_same_import_confirmed_twice_at_once_creates_one_draft(workers, staff_client, db):
    page = upload(staff_client, json.dumps(reference_shape(v101())).encode()).get_data(as_text=True)
    fields = hidden_fields(page, "/safeguards/frameworks/import/confirm")
    answers = workers.send_at_once(
        staff_client,
        "/safeguards/frameworks/import/confirm",
        fields,
        method="POST",
        page="/safeguards/frameworks",
    )
    assert sorted(status for status, _location in answers) == [302, 302]
    assert {location.rsplit("/", 1)[-1] for _status, location in answers} == {"1.1"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 2


def test_a_draft_published_twice_at_once_is_published_once(workers, staff_client, db):
    page = upload(staff_client, json.dumps(v101()).encode()).get_data(as_text=True)
    staff_client.post(
        "/safeguards/frameworks/import/confirm",
        data=hidden_fields(page, "/safeguards/frameworks/import/confirm"),
    )
    ask = staff_client.get("/safeguards/frameworks/1.1/publish").get_data(as_text=True)
    workers.send_at_once(
        staff_client, "/safeguards/frameworks/1.1/publish", hidden_fields(ask, ""), method="POST"
    )
    assert fw.by_version("1.1").is_published
    published = sa.select(sa.func.count()).where(AuditEvent.action == "safeguards.framework_published")
    assert db.session.scalar(published) == 1

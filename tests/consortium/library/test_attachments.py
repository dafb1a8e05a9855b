"""Attachments: type checked from the bytes, size limit, safe names, download headers and counts."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from consortium import counters, storage
from consortium.db import db as db_
from consortium.library.models import Attachment
from tests.lost_files import lose_bytes

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.fixture
def version_page(client, login_as, staff, make_resource):
    resource = make_resource({"es": ("Guía con anexo", "Texto.")})
    login_as(staff)
    return resource, f"/library/manage/{resource.id}/es"


def _upload(submit, version_page, data: bytes, filename: str):
    resource, page = version_page
    action = f"/library/manage/versions/{resource.original.id}/attachment"
    return submit(
        page, {"file": (io.BytesIO(data), filename)}, action=action, content_type="multipart/form-data"
    )


@pytest.mark.parametrize(
    ("data", "filename", "stored_type"),
    [
        (PDF, "Informe final (v2).pdf", "application/pdf"),
        (DOCX, "guia.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (ODT, "guia.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_documents_are_accepted_under_a_generated_name(
    app, client, submit, version_page, db, data, filename, stored_type
):
    assert _upload(submit, version_page, data, filename).status_code == 302
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.file.content_type == stored_type
    assert filename not in attachment.stored_name
    with storage.open(attachment.file) as stored:
        assert stored.read() == data


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"MZ\x90\x00 not a document", "informe.pdf"),
        (b"<html><script>alert(1)</script></html>", "guia.docx"),
        (_zip({"readme.txt": b"just a zip"}), "guia.docx"),
        (b"", "vacio.pdf"),
    ],
)
def test_a_wrong_type_is_rejected_whatever_its_name(submit, version_page, db, data, filename):
    response = _upload(submit, version_page, data, filename)
    assert response.status_code == 422
    assert "PDF, ODT, DOCX" in response.get_data(as_text=True) or "empty" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_an_oversized_file_is_rejected(app, submit, version_page, db, monkeypatch):
    # 0.1 MB keeps the test client's request body in memory (werkzeug spools bigger bodies to a file).
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 0.1)
    response = _upload(submit, version_page, PDF + b"0" * 110_000, "grande.pdf")
    assert response.status_code == 422 and "El archivo pesa más de 0,1 MB." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert not any(Path(app.config["UPLOAD_FOLDER"]).rglob("*.part"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(storage.StoredFile)) == 0


def test_downloads_are_counted_and_served_as_attachments(client, submit, version_page, db):
    _upload(submit, version_page, PDF, "Informe final.pdf")
    attachment = db.session.scalar(sa.select(Attachment))
    reader = client.application.test_client()
    html = reader.get("/library/es/guia-con-anexo").get_data(as_text=True)
    url = f"/library/attachments/{attachment.id}/informe-final.pdf"
    assert url in html
    for _ in range(2):
        response = reader.get(url)
        assert response.data == PDF and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()
    db.session.expire_all()
    assert db.session.get(Attachment, attachment.id).download_count == 0  # noted, not yet added
    assert counters.flush(now=time.time() + counters.PERIOD) == {"library.downloads": 2}
    db.session.expire_all()
    assert db.session.get(Attachment, attachment.id).download_count == 2


def test_attachments_of_unpublished_versions_are_hidden(client, login_as, staff, make_resource, submit, db):
    resource = make_resource({"es": ("Borrador con anexo", "x")}, published=())
    login_as(staff)
    page = f"/library/manage/{resource.id}/es"
    action = f"/library/manage/versions/{resource.original.id}/attachment"
    submit(page, {"file": (io.BytesIO(PDF), "a.pdf")}, action=action, content_type="multipart/form-data")
    attachment = db.session.scalar(sa.select(Attachment))
    assert (
        client.application.test_client().get(f"/library/attachments/{attachment.id}/a.pdf").status_code == 404
    )


def _files(app) -> set[str]:
    """The stored files' keys and every file in the upload folder."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    keys = set(db_.session.scalars(sa.select(storage.StoredFile.key)))
    return keys | {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def test_a_replacement_that_fails_to_commit_keeps_the_old_file_and_adds_none(
    app, client, submit, version_page, db, commit_fails
):
    resource, _page = version_page
    _upload(submit, version_page, PDF, "primero.pdf")
    old = db.session.scalar(sa.select(Attachment))
    old_id, old_name, files_before = old.id, old.stored_name, _files(app)
    commit_fails(f"/library/manage/versions/{resource.original.id}/attachment")

    assert _upload(submit, version_page, DOCX, "segundo.docx").status_code == 500

    db.session.rollback()
    attachment = db.session.scalar(sa.select(Attachment))
    assert (attachment.id, attachment.stored_name) == (old_id, old_name)
    assert _files(app) == files_before  # the old file is still there, and no new one was left behind
    download = client.application.test_client().get(f"/library/attachments/{old_id}/primero.pdf")
    assert download.status_code == 200 and download.data == PDF
    download.close()


def test_a_first_upload_that_fails_to_commit_leaves_no_file(app, submit, version_page, db, commit_fails):
    resource, _page = version_page
    files_before = _files(app)
    commit_fails(f"/library/manage/versions/{resource.original.id}/attachment")

    assert _upload(submit, version_page, PDF, "informe.pdf").status_code == 500

    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert _files(app) == files_before


def test_a_committed_replacement_deletes_the_old_file(app, submit, version_page, db):
    _upload(submit, version_page, PDF, "primero.pdf")
    old_name = db.session.scalar(sa.select(Attachment.stored_name))

    assert _upload(submit, version_page, DOCX, "segundo.docx").status_code == 302

    db.session.rollback()
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.filename == "segundo.docx"
    assert old_name not in _files(app) and attachment.stored_name in _files(app)


def test_a_download_writes_nothing_to_the_database(client, submit, version_page, db):
    _upload(submit, version_page, PDF, "informe.pdf")
    attachment = db.session.scalar(sa.select(Attachment))
    writes = []

    def statement(conn, cursor, sql, parameters, context, executemany):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(sql[:60])

    sa.event.listen(db.engine, "before_cursor_execute", statement)
    try:
        response = client.application.test_client().get(f"/library/attachments/{attachment.id}/informe.pdf")
        response.close()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", statement)
    assert response.status_code == 200 and writes == []


def test_an_attachment_whose_bytes_are_lost_answers_a_translated_404(client, submit, version_page, db):
    _upload(submit, version_page, PDF, "Informe final.pdf")
    attachment = db.session.scalar(sa.select(Attachment))
    lose_bytes(attachment.file)
    response = client.application.test_client().get(f"/library/attachments/{attachment.id}/informe-final.pdf")
    assert response.status_code == 404
    assert "ya no está disponible" in response.get_data(as_text=True)

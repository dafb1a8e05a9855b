"""Attachments that are ZIP archives (ODT, DOCX, PPTX): the check reads a few KB, whatever it inflates to."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
import sqlalchemy as sa

from consortium.library.models import Attachment
from tests.conftest import hidden_fields
from tests.consortium.library.test_attachments import DOCX, ODT

MB = 1024 * 1024


def _bomb(entry: str, megabytes: int) -> bytes:
    """An archive whose ``entry`` is ``megabytes`` of zeros, written in chunks so the test stays small too."""
    buffer = io.BytesIO()
    chunk = bytes(MB)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(entry, "w") as out:
            for _ in range(megabytes):
                out.write(chunk)
        archive.writestr("content.xml", b"<office/>")
    return buffer.getvalue()


@pytest.fixture
def upload(client, login_as, staff, make_resource):
    resource = make_resource({"es": ("Guía con anexo", "Texto.")})
    login_as(staff)
    page = f"/library/manage/{resource.id}/es"
    action = f"/library/manage/versions/{resource.original.id}/attachment"

    def upload(data: bytes, filename: str):
        fields = hidden_fields(client.get(page).get_data(as_text=True), action)
        body = {**fields, "file": (io.BytesIO(data), filename)}
        return client.post(action, data=body, content_type="multipart/form-data")

    return upload


@pytest.mark.parametrize(
    ("entry", "filename"), [("mimetype", "guia.odt"), ("[Content_Types].xml", "guia.docx")]
)
def test_a_zip_bomb_is_refused_without_inflating_it(upload, db, entry, filename):
    bomb = _bomb(entry, 100)
    assert len(bomb) < 1 * MB  # 100 MB of zeros inflate from this
    tracemalloc.start()
    try:
        response = upload(bomb, filename)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 422
    assert "PDF, ODT, DOCX" in response.get_data(as_text=True)
    assert peak < 20 * MB, f"checking the archive took {peak / MB:.0f} MB"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


@pytest.mark.parametrize(("data", "filename"), [(ODT, "guia.odt"), (DOCX, "guia.docx")])
def test_real_documents_still_pass(upload, db, data, filename):
    assert upload(data, filename).status_code == 302

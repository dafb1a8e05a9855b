"""Evidence files through HTTP: upload, type read from the bytes, size limit, who downloads, publication."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.storage import StoredFile
from safeguards import evidence
from safeguards.item_models import EvidenceFile
from safeguards.models import AssessmentState
from tests.conftest import hidden_fields
from tests.lost_files import lose_bytes
from tests.safeguards.views.conftest import client_as, in_scope_codes
from tests.safeguards.views.test_items import item_url

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _ooxml(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
    return buffer.getvalue()


XLSX = _ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
DOCX = _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
PPTX = _ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")


def upload(client, assessment, code, data: bytes, name: str, *, public=False):
    page = item_url(assessment, code)
    fields = hidden_fields(client.get(page).get_data(as_text=True), page + "/evidence")
    form = {**fields, "file": (io.BytesIO(data), name)}
    if public:
        form["is_public"] = "y"
    return client.post(page + "/evidence", data=form, content_type="multipart/form-data")


def files(db) -> list[EvidenceFile]:
    db.session.expire_all()
    return db.session.scalars(sa.select(EvidenceFile).order_by(EvidenceFile.id)).all()


def download_url(assessment, row) -> str:
    return f"/safeguards/assessments/{assessment.id}/evidence/{row.id}/{row.file.filename}"


@pytest.mark.parametrize(
    ("data", "name", "stored"),
    [
        (PDF, "Acta de la junta.pdf", "acta-de-la-junta.pdf"),
        (XLSX, "presupuesto.xlsx", "presupuesto.xlsx"),
        (DOCX, "informe.docx", "informe.docx"),
        (PNG, "captura.png", "captura.png"),
        (JPEG, "foto.jpg", "foto.jpeg"),
    ],
)
def test_the_team_attaches_each_accepted_kind(client, login_as, lead, assessment, db, data, name, stored):
    code = in_scope_codes(assessment)[0]
    login_as(lead)
    response = upload(client, assessment, code, data, name)
    assert response.status_code == 302 and response.headers["Location"].endswith("#evidence")
    (row,) = files(db)
    assert row.file.filename == stored and row.file.size == len(data) and not row.is_public
    html = client.get(item_url(assessment, code)).get_data(as_text=True)
    assert download_url(assessment, row) in html and "Privado" in html


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"just text, named like a PDF", "informe.pdf"), (PPTX, "slides.pptx"), (b"GIF89a....", "x.png")],
)
def test_a_file_that_is_not_an_accepted_kind_is_refused(client, login_as, lead, assessment, db, data, name):
    code = in_scope_codes(assessment)[0]
    login_as(lead)
    response = upload(client, assessment, code, data, name)
    assert response.status_code == 422
    assert "Adjunte un documento PDF, ODT, DOCX o XLSX, o una imagen PNG o JPEG." in response.get_data(
        as_text=True
    )
    assert files(db) == [] and db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_a_file_over_the_limit_is_refused(app, client, login_as, lead, assessment, db, monkeypatch):
    monkeypatch.setitem(app.config, "SAFEGUARDS_EVIDENCE_MAX_MB", 0.001)
    code = in_scope_codes(assessment)[0]
    login_as(lead)
    response = upload(client, assessment, code, PDF + b"0" * 2000, "grande.pdf")
    assert response.status_code == 422
    assert "El archivo pesa más de 0,001 MB." in response.get_data(as_text=True)
    assert files(db) == []


DOWNLOAD = {"team": 200, "reviewer": 200, "admin": 200, "other_team": 404, "staff": 404, "anonymous": 404}


@pytest.mark.parametrize("role", list(DOWNLOAD))
def test_files_are_private_to_the_team_and_its_reviewers(app, login_as, people, lead, assessment, db, role):
    code = in_scope_codes(assessment)[0]
    upload(login_as(lead, on=app.test_client()), assessment, code, PDF, "acta.pdf", public=True)
    (row,) = files(db)
    response = client_as(role, app, login_as, people).get(download_url(assessment, row))
    assert response.status_code == DOWNLOAD[role]
    if response.status_code == 200:
        assert response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "private" in response.headers["Cache-Control"]
    response.close()


@pytest.mark.parametrize("role", ["other_team", "anonymous"])
def test_publication_opens_only_the_files_chosen_public(app, login_as, people, lead, assessment, db, role):
    code = in_scope_codes(assessment)[0]
    team = login_as(lead, on=app.test_client())
    upload(team, assessment, code, PDF, "publico.pdf", public=True)
    upload(team, assessment, code, PNG, "privado.png")
    public_file, private_file = files(db)
    assessment.state = AssessmentState.APPROVED
    db.session.commit()
    assert [f.id for f in evidence.publication_files(assessment) if f.is_public] == [public_file.id]
    with transaction.writing(), transaction.action():
        evidence.choose_public(assessment, {public_file.id})
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    client = client_as(role, app, login_as, people)
    response = client.get(download_url(assessment, public_file))
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    response.close()
    assert client.get(download_url(assessment, private_file)).status_code == 404
    response = team.get(download_url(assessment, private_file))
    assert response.status_code == 200
    response.close()


def test_only_the_team_attaches_and_only_while_it_may_edit(app, login_as, lead, reviewer, assessment, db):
    code = in_scope_codes(assessment)[0]
    reviewers = login_as(reviewer, on=app.test_client())
    page = item_url(assessment, code)
    token = hidden_fields(reviewers.get(page).get_data(as_text=True), page + "/messages")["csrf_token"]
    form = {"csrf_token": token, "file": (io.BytesIO(PDF), "x.pdf")}
    assert (
        reviewers.post(page + "/evidence", data=form, content_type="multipart/form-data").status_code == 403
    )
    team = login_as(lead, on=app.test_client())
    html = team.get(page).get_data(as_text=True)
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    fields = hidden_fields(html, page + "/evidence")
    form = {**fields, "file": (io.BytesIO(PDF), "x.pdf")}
    assert team.post(page + "/evidence", data=form, content_type="multipart/form-data").status_code == 403
    assert files(db) == []


def test_the_team_removes_a_file_and_marks_it_public(client, login_as, lead, assessment, db):
    code = in_scope_codes(assessment)[0]
    login_as(lead)
    upload(client, assessment, code, PDF, "acta.pdf")
    (row,) = files(db)
    page = item_url(assessment, code)
    html = client.get(page).get_data(as_text=True)
    base = f"/safeguards/assessments/{assessment.id}/evidence/{row.id}"
    token = hidden_fields(html, base + "/public")
    assert client.post(base + "/public", data={**token, "is_public": "1"}).status_code == 302
    assert files(db)[0].is_public
    token = hidden_fields(client.get(page).get_data(as_text=True), base + "/delete")
    assert client.post(base + "/delete", data=token).status_code == 302
    assert files(db) == [] and db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_an_evidence_file_whose_bytes_are_lost_answers_a_translated_404(app, login_as, lead, assessment, db):
    client = login_as(lead, on=app.test_client())
    upload(client, assessment, in_scope_codes(assessment)[0], PDF, "acta.pdf")
    (row,) = files(db)
    lose_bytes(row.file)
    response = client.get(download_url(assessment, row))
    assert response.status_code == 404
    assert "ya no está disponible" in response.get_data(as_text=True)

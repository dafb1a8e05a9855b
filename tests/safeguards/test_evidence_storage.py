"""Deleting what owns evidence files (an assessment) deletes their stored bytes, once that committed."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.storage import Backend, StoredFile
from safeguards import evidence
from safeguards.models import Assessment
from tests.lost_files import bytes_left
from tests.safeguards.views.conftest import answer_of, in_scope_codes

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(params=list(Backend), ids=[b.value for b in Backend])
def backend(request, app, monkeypatch) -> Backend:
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", request.param.value)
    return request.param


@pytest.fixture
def stored_evidence(db, backend, assessment, lead):
    answer = answer_of(db, assessment, in_scope_codes(assessment)[0])
    with transaction.writing(), transaction.action():
        row = evidence.attach(answer, io.BytesIO(PDF), "acta.pdf", by=lead)
    return row.file.id, row.file.key


def _delete_then_fail(db, model, ident) -> None:
    with transaction.writing(), transaction.action():
        db.session.delete(db.session.get(model, ident))
        db.session.flush()
        raise RuntimeError("the action fails after the delete")


def _stored_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))


def test_deleting_an_assessment_deletes_its_evidence_files(db, backend, assessment, stored_evidence):
    with transaction.writing(), transaction.action():
        db.session.delete(db.session.get(Assessment, assessment.id))
    assert _stored_count(db) == 0
    assert not bytes_left(backend, *stored_evidence)


def test_a_rolled_back_delete_leaves_the_file_in_place(db, backend, assessment, stored_evidence):
    with pytest.raises(RuntimeError):
        _delete_then_fail(db, Assessment, assessment.id)
    assert _stored_count(db) == 1
    assert bytes_left(backend, *stored_evidence)
    assert db.session.get(StoredFile, stored_evidence[0]) is not None

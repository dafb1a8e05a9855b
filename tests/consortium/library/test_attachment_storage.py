"""Deleting a resource deletes its attachments' stored bytes once that committed; a rollback keeps them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.db import utcnow
from consortium.library import services
from consortium.library.models import Resource
from consortium.storage import Backend, StoredFile
from tests.lost_files import bytes_left

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(params=list(Backend), ids=[b.value for b in Backend])
def attached(request, app, db, monkeypatch, make_resource, staff):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", request.param.value)
    resource = make_resource({"es": ("Guía con anexo", "Texto.")})
    with transaction.writing(), transaction.action():
        attachment = services.attach(resource.original, io.BytesIO(PDF), "anexo.pdf", by=staff)
    return resource.id, (request.param, attachment.file.id, attachment.file.key)


def _delete_then_fail(db, model, ident) -> None:
    with transaction.writing(), transaction.action():
        db.session.delete(db.session.get(model, ident))
        db.session.flush()
        raise RuntimeError("the action fails after the delete")


def _stored_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))


def test_deleting_a_resource_deletes_its_attachments_bytes(db, attached):
    resource_id, stored = attached
    with transaction.writing(), transaction.action():
        db.session.delete(db.session.get(Resource, resource_id))
    assert _stored_count(db) == 0 and not bytes_left(*stored)


def test_a_rolled_back_resource_delete_keeps_the_bytes(db, attached):
    resource_id, stored = attached
    with pytest.raises(RuntimeError):
        _delete_then_fail(db, Resource, resource_id)
    assert _stored_count(db) == 1 and bytes_left(*stored)


def test_the_sweep_never_deletes_an_attachments_file(app, db, attached):
    _resource_id, stored = attached
    db.session.execute(sa.update(StoredFile).values(created_at=utcnow() - timedelta(days=30)))
    db.session.commit()
    swept = app.test_cli_runner().invoke(args=["storage", "sweep", "--delete"])
    assert "0 of 0 unreferenced" in swept.output, swept.output
    assert _stored_count(db) == 1 and bytes_left(*stored)

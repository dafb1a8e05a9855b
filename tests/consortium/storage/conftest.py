"""Every storage test runs on both backends (and, as the whole suite, on both databases)."""

from __future__ import annotations

import io

import pytest

from consortium import storage, transaction
from consortium.storage import Backend


@pytest.fixture(params=list(Backend), ids=[b.value for b in Backend])
def backend(request, app, monkeypatch) -> Backend:
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", request.param.value)
    return request.param


@pytest.fixture
def store(backend):
    """``store(data)`` saves ``data`` in one committed action and returns its ``StoredFile``."""

    def save(data: bytes, filename: str = "informe.pdf", content_type: str = "application/pdf"):
        with transaction.writing(), transaction.action():
            stored = storage.save(io.BytesIO(data), filename, content_type)
        return stored

    return save

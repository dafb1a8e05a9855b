"""``storage.send``: a streamed download with its length, ETag, ranges and safe headers."""

from __future__ import annotations

import os

import pytest
from werkzeug.exceptions import NotFound

from consortium import storage
from consortium.storage import CHUNK
from tests.lost_files import lose_bytes

DATA = os.urandom(2 * CHUNK + 500)


def _send(app, stored, headers=None, **options):
    with app.test_request_context(headers=headers or {}):
        return storage.send(stored, **options)


def test_a_download_streams_in_chunks_with_its_length_and_checksum_as_etag(app, backend, store):
    stored = store(DATA, "Informe de diagnóstico.pdf")
    response = _send(app, stored)
    pieces = list(response.response)
    response.close()
    assert b"".join(pieces) == DATA
    assert len(pieces) >= 3 and max(map(len, pieces)) <= CHUNK
    assert response.status_code == 200 and response.content_length == len(DATA)
    assert response.headers["ETag"] == f'"{stored.sha256}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Informe de diagnostico.pdf"; '
        "filename*=UTF-8''Informe%20de%20diagn%C3%B3stico.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_private_files_are_kept_by_the_reader_only_and_public_ones_revalidate(app, backend, store):
    stored = store(b"%PDF-1.4 x")
    private = _send(app, stored, download_name="a.pdf")
    public = _send(app, stored, private=False)
    for response in (private, public):
        response.close()
    assert private.cache_control.private and private.cache_control.no_cache
    assert not private.cache_control.public
    assert public.cache_control.public and public.cache_control.no_cache
    assert private.headers["Content-Disposition"] == 'attachment; filename="a.pdf"'


def test_an_unchanged_file_answers_304_and_a_range_206(app, backend, store):
    stored = store(DATA)
    unchanged = _send(app, stored, {"If-None-Match": f'"{stored.sha256}"'})
    assert unchanged.status_code == 304
    unchanged.close()

    start = CHUNK - 10
    ranged = _send(app, stored, {"Range": f"bytes={start}-{start + 29}"})
    assert ranged.status_code == 206
    assert ranged.headers["Content-Range"] == f"bytes {start}-{start + 29}/{len(DATA)}"
    assert b"".join(ranged.response) == DATA[start : start + 30]
    ranged.close()


def test_a_file_whose_bytes_are_lost_answers_a_translated_404(app, client, backend, store):
    stored = store(b"x" * (CHUNK + 10))
    lose_bytes(stored)
    with app.test_request_context(headers={"Accept-Language": "es"}), pytest.raises(NotFound) as raised:
        storage.send(stored)
    assert "ya no está disponible" in raised.value.description

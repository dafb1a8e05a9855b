"""Serving a stored file: streamed in chunks, never inline, with headers that make it safe and cacheable."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response, abort, current_app, request
from flask_babel import gettext as _
from werkzeug.wsgi import wrap_file

from consortium.storage.files import has_bytes
from consortium.storage.files import open as open_file
from consortium.storage.models import CHUNK, StoredFile


def send(stored: StoredFile, *, download_name: str | None = None, private: bool = True) -> Response:
    """A response that streams ``stored`` as a download.

    It answers ``If-None-Match`` (the ETag is the SHA-256) with 304 and ``Range`` with 206, has its
    ``Content-Length``, is always an attachment and never sniffed or run by the browser. A private
    file (not public to everyone) may be kept by the reader's browser only, never by a shared cache;
    either way caches revalidate before reuse, so a deleted or replaced file is never served stale.
    A file whose bytes are missing answers 404 with a translated reason, not a 500 mid-stream.
    """
    if not has_bytes(stored):
        current_app.logger.error("stored file %s (%s): its bytes are missing", stored.id, stored.key)
        abort(404, _("This file is no longer available. Please let the consortium's staff know."))
    response = current_app.response_class(
        wrap_file(request.environ, open_file(stored), buffer_size=CHUNK),
        mimetype=stored.content_type,
        direct_passthrough=True,
    )
    response.content_length = stored.size
    response.set_etag(stored.sha256)
    response.last_modified = stored.created_at
    response.headers["Content-Disposition"] = _disposition(download_name or stored.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.no_cache = True
    if private:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    return response.make_conditional(request, accept_ranges=True, complete_length=stored.size)


def _disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` and, for other names, the exact one in ``filename*``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c for c in ascii_name if c.isprintable() and c not in '"\\') or "download"
    if ascii_name == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"

"""Stored files: every upload (library attachments, evidence, certificates) goes through this API.

A file is saved from a stream, in ``CHUNK``-sized pieces, into the configured backend
(``STORAGE_BACKEND``, or the ``CONSORTIUM_STORAGE`` environment variable): ``local`` (a folder, the
default with SQLite) or ``database`` (chunk rows, the default with PostgreSQL, shared by every host).
Its ``StoredFile`` row keeps its key, name, type, size and SHA-256, and the backend that holds it.

    with transaction.action():
        stored = storage.save(upload.stream, "informe.pdf", "application/pdf")
        evidence.file_id = stored.id
    ...
    return storage.send(stored, private=True)           # a view serves it (ETag, Range, attachment)
    with storage.open(stored) as reader: ...            # a seekable reader, wherever the bytes are
    with transaction.action(): storage.delete(stored)   # bytes removed with, or after, the commit
    storage.owned_by(EvidenceFile.file)                 # at init_app: deleting the row deletes its file

``flask storage sweep`` lists (and with ``--delete`` deletes) the stored bytes no row references.
"""

from flask import Flask

from consortium.storage.cli import storage_cli
from consortium.storage.files import checksum, delete, is_intact, open, save
from consortium.storage.models import CHUNK, Backend, StoredFile
from consortium.storage.owners import listen, owned_by
from consortium.storage.serving import send

__all__ = [
    "CHUNK",
    "Backend",
    "StoredFile",
    "checksum",
    "delete",
    "is_intact",
    "open",
    "owned_by",
    "save",
    "send",
]


def init_app(app: Flask) -> None:
    listen()
    app.cli.add_command(storage_cli)

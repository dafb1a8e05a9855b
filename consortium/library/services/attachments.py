"""Attached files: checked by size and by their real type, kept by ``consortium.storage``, their downloads
counted (noted by the reading request, added by the counters' flush)."""

from __future__ import annotations

import io
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal

from consortium import counters, filetypes, storage, transaction
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import Attachment, ResourceVersion
from consortium.library.services.errors import InvalidAttachment

#: the kinds an attachment may be, checked from its bytes (``consortium.filetypes``)
ATTACHMENT_KINDS = ("pdf", "odt", "docx", "pptx")


def attach(version: ResourceVersion, stream: IO[bytes], filename: str, *, by) -> Attachment:
    """Check an upload's size and real type, then store it (consortium.storage) under a generated key.

    ``stream`` must be seekable (werkzeug's uploads are). The version's previous file stays until the
    action commits, and the new one goes if it rolls back, so the record always points at a file. The
    version is locked before its attachment is replaced: of two uploads at once, the second replaces
    the first.
    """
    size = stream.seek(0, io.SEEK_END)
    if size > float(current_app.config.get("MAX_UPLOAD_MB", 20)) * 1024 * 1024:
        raise InvalidAttachment(
            _l("The file is larger than %(mb)s MB.", mb=format_decimal(current_app.config["MAX_UPLOAD_MB"]))
        )
    if size == 0:
        raise InvalidAttachment(_l("The file is empty."))
    kind = filetypes.sniff(stream, ATTACHMENT_KINDS)
    if kind is None:
        raise InvalidAttachment
    stream.seek(0)
    stored = storage.save(stream, filetypes.download_name(filename, kind), filetypes.CONTENT_TYPES[kind])
    version = transaction.lock(ResourceVersion, version.id)
    if version.attachment is not None:
        remove_attachment(version.attachment)
    attachment = Attachment(
        version=version,
        filename=stored.filename,
        file=stored,
        uploaded_by_id=getattr(by, "id", None),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(attachment: Attachment) -> None:
    """Delete the record and so its stored file (``storage.owned_by``: the bytes go once it committed)."""
    attachment.version.attachment = None
    db.session.delete(attachment)
    db.session.flush()


#: The kernel counter that downloads are noted in (``consortium.counters``).
DOWNLOADS = "library.downloads"


def note_download(attachment: Attachment) -> None:
    """Note a download without writing to the database: ``add_downloads`` counts it at the next flush."""
    counters.bump(DOWNLOADS, attachment.id)


def add_downloads(counts: dict[str, int]) -> None:
    """Add the downloads noted since the last flush: one atomic UPDATE per file, so none is lost."""
    for attachment_id, count in counts.items():
        db.session.execute(
            sa.update(Attachment)
            .where(Attachment.id == int(attachment_id))
            .values(download_count=Attachment.download_count + count)
            .execution_options(synchronize_session=False)
        )

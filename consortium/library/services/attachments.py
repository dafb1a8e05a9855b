"""Attached files: checked by size and by their real type, stored under generated names, their downloads
counted (noted by the reading request, added by the counters' flush)."""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal

from consortium import archives, counters, transaction
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import Attachment, ResourceVersion
from consortium.library.services.errors import InvalidAttachment
from consortium.library.services.slugs import slugify

#: extension -> content type, checked from the bytes by ``sniff``.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


def sniff(path: Path) -> str | None:
    """The attachment kind read from the content itself ("pdf", "odt", "docx", "pptx"), or None."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            # bounded reads: the mimetype entry is ~40 bytes, [Content_Types].xml a few KB (archives.py)
            if (
                "mimetype" in names
                and archives.read_entry(archive, "mimetype", 1024).strip() == ATTACHMENT_TYPES["odt"].encode()
            ):
                return "odt"
            if "[Content_Types].xml" in names:
                mains = {kind: main.encode() for kind, main in _OOXML_MAIN.items()}
                return archives.first_found(archive, "[Content_Types].xml", mains, limit=1024 * 1024)
    except archives.ERRORS:
        return None
    return None


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "library"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_display_name(filename: str, kind: str) -> str:
    stem = Path(filename or "").stem
    return f"{slugify(stem, 80) if stem else 'document'}.{kind}"


@dataclass
class _Upload:
    path: Path
    size: int


def _store_stream(stream: IO[bytes], limit: int) -> _Upload:
    path = upload_folder() / f"upload-{secrets.token_hex(16)}.part"
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise InvalidAttachment(
                        _l(
                            "The file is larger than %(mb)s MB.",
                            mb=format_decimal(current_app.config["MAX_UPLOAD_MB"]),
                        )
                    )
                out.write(chunk)
    except BaseException:  # too large, or the upload broke off: no partial file stays behind
        path.unlink(missing_ok=True)
        raise
    return _Upload(path, size)


def attach(version: ResourceVersion, stream: IO[bytes], filename: str, *, by) -> Attachment:
    """Store an uploaded file under a new generated name after checking its size and its real type.

    The version's previous file stays on disk until the action commits, and the new one is removed
    if it rolls back, so the record always points at a file. The version is locked before its
    attachment is replaced: of two uploads at once, the second replaces the first.
    """
    limit = int(float(current_app.config.get("MAX_UPLOAD_MB", 20)) * 1024 * 1024)
    upload = _store_stream(stream, limit)
    if upload.size == 0:
        upload.path.unlink(missing_ok=True)
        raise InvalidAttachment(_l("The file is empty."))
    kind = sniff(upload.path)
    if kind is None:
        upload.path.unlink(missing_ok=True)
        raise InvalidAttachment
    stored_name = f"{secrets.token_hex(16)}.{kind}"
    stored = upload.path.with_name(stored_name)
    upload.path.rename(stored)
    transaction.on_rollback(partial(stored.unlink, missing_ok=True))
    version = transaction.lock(ResourceVersion, version.id)
    if version.attachment is not None:
        remove_attachment(version.attachment)
    attachment = Attachment(
        version=version,
        filename=safe_display_name(filename, kind),
        stored_name=stored_name,
        content_type=ATTACHMENT_TYPES[kind],
        size=upload.size,
        uploaded_by_id=getattr(by, "id", None),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(attachment: Attachment) -> None:
    """Delete the record now and its file once the action committed (a rollback keeps both)."""
    transaction.after_commit(partial((upload_folder() / attachment.stored_name).unlink, missing_ok=True))
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

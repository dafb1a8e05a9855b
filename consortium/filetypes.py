"""What an uploaded file really is, read from its bytes (never from its name or the browser's word).

Library attachments and assessment evidence accept different kinds; both ask ``sniff`` with the kinds
they accept. Office documents are ZIP archives whose few telling entries are read in bounded chunks
(``consortium.archives``), so a hostile archive costs a few KB.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import IO

from consortium import archives

#: kind (the file extension we give it) -> content type
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}


def _zipped_kind(stream: IO[bytes], accepted: Collection[str]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            # bounded reads: the mimetype entry is ~40 bytes, [Content_Types].xml a few KB
            if (
                "odt" in accepted
                and "mimetype" in names
                and archives.read_entry(archive, "mimetype", 1024).strip() == CONTENT_TYPES["odt"].encode()
            ):
                return "odt"
            mains = {kind: main.encode() for kind, main in _OOXML_MAIN.items() if kind in accepted}
            if mains and "[Content_Types].xml" in names:
                return archives.first_found(archive, "[Content_Types].xml", mains, limit=1024 * 1024)
    except archives.ERRORS:
        return None
    return None


def sniff(stream: IO[bytes], accepted: Collection[str]) -> str | None:
    """The kind among ``accepted`` that the content of ``stream`` is, or None.

    ``stream`` must be seekable (werkzeug spools uploads); it is read from its start.
    """
    stream.seek(0)
    head = stream.read(8)
    for kind, signature in _SIGNATURES.items():
        if kind in accepted and head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _zipped_kind(stream, accepted)
    return None


def download_name(filename: str, kind: str, fallback: str = "document") -> str:
    """A safe name to offer on download: the uploaded name's stem as a slug, and the extension of its kind."""
    stem = unicodedata.normalize("NFKD", Path(filename or "").stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:80].rstrip("-")
    return f"{slug or fallback}.{kind}"

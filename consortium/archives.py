"""Reading untrusted ZIP archives (uploaded ODT, DOCX, PPTX): a few KB of an entry, never what it inflates to.

A 1.5 MB upload can hold an entry that inflates to gigabytes. The sizes an archive declares are checked first
(its own size, and how far it claims to inflate, which real XML never does past ~20 times), and then only
bounded chunks are read, so even an archive that lies about its sizes costs a few KB of memory.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

MAX_RATIO = 100
CHUNK = 16 * 1024

#: What reading a broken, encrypted or oddly compressed archive may raise.
ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


def entry_chunks(archive: zipfile.ZipFile, name: str, limit: int) -> Iterator[bytes]:
    """Entry ``name`` in chunks, at most ``limit`` bytes; nothing if it declares more or inflates too far."""
    info = archive.getinfo(name)
    if info.file_size > limit or info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return
    with archive.open(info) as entry:
        read = 0
        while read < limit and (chunk := entry.read(min(CHUNK, limit - read))):
            read += len(chunk)
            yield chunk


def read_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of entry ``name`` (empty when suspicious): for entries of a few bytes."""
    return b"".join(entry_chunks(archive, name, limit))


def first_found(archive: zipfile.ZipFile, name: str, needles: dict[str, bytes], limit: int) -> str | None:
    """The first key whose needle occurs in entry ``name``, searched chunk by chunk (never all in memory)."""
    overlap = max(len(needle) for needle in needles.values())
    tail = b""
    for chunk in entry_chunks(archive, name, limit):
        window = tail + chunk
        for key, needle in needles.items():
            if needle in window:
                return key
        tail = window[-overlap:]
    return None

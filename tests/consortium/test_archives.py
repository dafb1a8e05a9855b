"""Bounded reads from untrusted ZIP archives (consortium.archives)."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile

import pytest

from consortium import archives

MB = 1024 * 1024


def _archive(entry: bytes | None = None, *, zeros_mb: int = 0) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("entry", "w") as out,
    ):
        out.write(entry or b"")
        for _ in range(zeros_mb):
            out.write(bytes(MB))
    return zipfile.ZipFile(buffer)


def _lying(zeros_mb: int) -> zipfile.ZipFile:
    """An archive whose directory says its entry holds 39 bytes while it inflates to ``zeros_mb`` MB."""
    data = bytearray(_archive(zeros_mb=zeros_mb).fp.getvalue())
    data[:] = data.replace((zeros_mb * MB).to_bytes(4, "little"), (39).to_bytes(4, "little"))
    return zipfile.ZipFile(io.BytesIO(bytes(data)))


def test_a_small_entry_is_read_whole():
    assert archives.read_entry(_archive(b"application/vnd.oasis.opendocument.text"), "entry", 1024) == (
        b"application/vnd.oasis.opendocument.text"
    )


def test_an_entry_declaring_more_than_the_limit_is_not_read():
    assert archives.read_entry(_archive(b"x" * 2000), "entry", 1024) == b""


def test_an_entry_inflating_far_more_than_xml_does_is_not_read():
    assert archives.read_entry(_archive(zeros_mb=2), "entry", 4 * MB) == b""


def test_an_archive_lying_about_its_sizes_costs_only_the_bounded_read():
    archive = _lying(20)
    tracemalloc.start()
    try:
        with pytest.raises(archives.ERRORS):  # the checksum of the truncated entry does not match
            archives.read_entry(archive, "entry", 1024)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MB


def test_a_needle_split_across_chunks_is_found():
    needle = b"presentationml.presentation.main+xml"
    noise = random.Random(1).randbytes(archives.CHUNK)  # real XML does not compress a hundredfold
    body = noise[:-10] + needle + noise[:100]
    found = archives.first_found(_archive(body), "entry", {"pptx": needle, "docx": b"wordprocessingml"}, MB)
    assert found == "pptx"

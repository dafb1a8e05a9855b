"""Readable, unique address parts for versions and topics."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

from consortium.db import db
from consortium.library.models import ResourceVersion


def slugify(text: str, max_length: int = 120) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "resource"


def unique_slug(language: str, wanted: str, *, exclude_id: int | None = None) -> str:
    base = slugify(wanted)
    taken = set(
        db.session.scalars(
            sa.select(ResourceVersion.slug).where(
                ResourceVersion.language == language,
                ResourceVersion.slug.like(f"{base}%"),
                ResourceVersion.id != (exclude_id or 0),
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug

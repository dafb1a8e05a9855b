"""The demo library (``flask demo load``): the hand-written resources in ``demo_content/`` and the topics."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.demo import demo_user
from consortium.library.models import Resource, ResourceKind, ResourceVersion, Topic, VersionStatus
from consortium.library.services import sync_tags
from consortium.reference.systems import ensure_reference_systems

DEMO_FOLDER = Path(__file__).parent / "demo_content"

TOPICS = {
    "dpi-basics": {"es": "Fundamentos de DPI", "pt_BR": "Fundamentos de DPI", "en": "DPI basics"},
    "digital-identity": {"es": "Identidad digital", "pt_BR": "Identidade digital", "en": "Digital identity"},
    "payments": {"es": "Pagos digitales", "pt_BR": "Pagamentos digitais", "en": "Digital payments"},
    "data-exchange": {"es": "Intercambio de datos", "pt_BR": "Troca de dados", "en": "Data exchange"},
    "data-protection": {
        "es": "Protección de datos",
        "pt_BR": "Proteção de dados",
        "en": "Data protection",
    },
    "inclusion": {"es": "Inclusión", "pt_BR": "Inclusão", "en": "Inclusion"},
    "safeguards": {"es": "Salvaguardas", "pt_BR": "Salvaguardas", "en": "Safeguards"},
    "governance-participation": {
        "es": "Participación en la gobernanza",
        "pt_BR": "Participação na governança",
        "en": "Participation in governance",
    },
}


def ensure_topics(slugs: Iterable[str]) -> int:
    existing = set(db.session.scalars(sa.select(Topic.slug)))
    created = 0
    for slug in dict.fromkeys(slugs):
        if slug not in existing:
            db.session.add(Topic(slug=slug, names=TOPICS.get(slug, {"es": slug, "en": slug})))
            created += 1
    return created


def load() -> int:
    """The hand-written resources in demo_content/: published, translations reviewed by a second person."""
    created = ensure_topics(TOPICS) + ensure_reference_systems()[1]
    translator = demo_user("tomas@opendatacharter.example")
    reviewer = demo_user("ana@ilda.example")
    for folder in sorted(p for p in DEMO_FOLDER.iterdir() if (p / "meta.toml").exists()):
        meta = tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8"))
        original = meta["original_language"]
        original_slug = meta["versions"][original]["slug"]
        if db.session.scalar(
            sa.select(ResourceVersion.id).where(
                ResourceVersion.language == original, ResourceVersion.slug == original_slug
            )
        ):
            continue
        created += ensure_topics(meta.get("topics", []))
        published_on = date.fromisoformat(meta["published_on"]) if meta.get("published_on") else None
        moment = utcnow() - timedelta(days=(date.today() - published_on).days if published_on else 0)
        resource = Resource(
            kind=ResourceKind(meta["kind"]),
            original_language=original,
            topic_slugs=meta.get("topics", []),
            countries=meta.get("countries", []),
            systems=meta.get("systems", []),
            principles=meta.get("principles", []),
            authors=meta.get("authors", []),
            organisation=meta.get("organisation", ""),
            licence=meta.get("licence", ""),
            published_on=published_on,
            source_url=meta.get("source_url", ""),
            published_languages=sorted(meta["versions"]),
            last_published_at=moment,
            created_by_id=reviewer.id if reviewer else None,
        )
        db.session.add(resource)
        for language, fields in meta["versions"].items():
            is_translation = language != original
            resource.versions.append(
                ResourceVersion(
                    language=language,
                    title=fields["title"],
                    summary=fields.get("summary", ""),
                    body=(folder / f"{language}.md").read_text(encoding="utf-8"),
                    slug=fields["slug"],
                    status=VersionStatus.PUBLISHED,
                    published_at=moment,
                    source_revision=1 if is_translation else None,
                    translator_id=translator.id if is_translation and translator else None,
                    reviewer_id=reviewer.id if is_translation and reviewer else None,
                )
            )
        db.session.flush()
        sync_tags(resource)
        created += 1
    return created

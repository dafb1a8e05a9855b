"""Content from outside a request: the demo library, benchmark volume and safeguards suggestions."""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import url_for

from consortium.db import db, utcnow
from consortium.demo import demo_user
from consortium.i18n import LANGUAGES, current_language
from consortium.library import search
from consortium.library.models import (
    FACET_PRINCIPLE,
    PRINCIPLES,
    DpiSystem,
    Resource,
    ResourceKind,
    ResourceTag,
    ResourceVersion,
    Topic,
    TranslationRequest,
    VersionStatus,
)
from consortium.library.services import sync_tags, tag_values
from consortium.organisations.countries import LAC_COUNTRY_CODES
from consortium.suggestions import Suggestion
from consortium.users.models import User

DEMO_FOLDER = Path(__file__).parent / "demo"

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


def _ensure_topics(slugs: Iterable[str]) -> int:
    existing = set(db.session.scalars(sa.select(Topic.slug)))
    created = 0
    for slug in dict.fromkeys(slugs):
        if slug not in existing:
            db.session.add(Topic(slug=slug, names=TOPICS.get(slug, {"es": slug, "en": slug})))
            created += 1
    return created


# Demo ---------------------------------------------------------------------------------------------------


def load_demo() -> int:
    """The hand-written resources in demo/: published, translations reviewed by a second person."""
    created = _ensure_topics(TOPICS)
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
        created += _ensure_topics(meta.get("topics", []))
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


# Benchmark volume -----------------------------------------------------------------------------------------

_WORDS = {
    "es": [
        "información",
        "identificación",
        "protección",
        "datos",
        "personales",
        "gobernanza",
        "participación",
        "ciudadana",
        "pagos",
        "instantáneos",
        "inclusión",
        "financiera",
        "transparencia",
        "rendición",
        "cuentas",
        "auditoría",
        "interoperabilidad",
        "consentimiento",
        "privacidad",
        "infraestructura",
        "pública",
        "digital",
        "sociedad",
        "civil",
        "regulación",
        "supervisión",
        "acceso",
        "confianza",
        "riesgo",
        "salvaguardas",
        "comunidad",
        "evaluación",
        "política",
    ],
    "pt_BR": [
        "informação",
        "identificação",
        "proteção",
        "dados",
        "pessoais",
        "governança",
        "participação",
        "cidadã",
        "pagamentos",
        "instantâneos",
        "inclusão",
        "financeira",
        "transparência",
        "prestação",
        "contas",
        "auditoria",
        "interoperabilidade",
        "consentimento",
        "privacidade",
        "infraestrutura",
        "pública",
        "digital",
        "sociedade",
        "civil",
        "regulação",
        "supervisão",
        "acesso",
        "confiança",
        "risco",
        "salvaguardas",
        "comunidade",
        "avaliação",
        "política",
    ],
    "en": [
        "information",
        "identification",
        "protection",
        "personal",
        "data",
        "governance",
        "participation",
        "citizen",
        "instant",
        "payments",
        "financial",
        "inclusion",
        "transparency",
        "accountability",
        "audit",
        "interoperability",
        "consent",
        "privacy",
        "public",
        "digital",
        "infrastructure",
        "civil",
        "society",
        "regulation",
        "oversight",
        "access",
        "trust",
        "risk",
        "safeguards",
        "community",
        "assessment",
        "policy",
    ],
}

RESOURCES_PER_SCALE = 350


def _text(rng: random.Random, language: str, words: int) -> str:
    vocabulary = _WORDS[language]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def _body(rng: random.Random, language: str) -> str:
    sections = []
    for _ in range(3):
        sections.append(
            f"## {_text(rng, language, 4).capitalize()}\n\n{_text(rng, language, 90).capitalize()}."
        )
        sections.append(
            f"- {_text(rng, language, 8)}\n- {_text(rng, language, 8)}\n- {_text(rng, language, 8)}"
        )
    return "\n\n".join(sections)


def seed(scale: int, rng: random.Random) -> int:
    """``RESOURCES_PER_SCALE * scale`` resources, ~2.9 published versions each, inserted in bulk."""
    if db.session.scalar(sa.select(ResourceVersion.id).where(ResourceVersion.slug.like("bench-%")).limit(1)):
        return 0
    _ensure_topics(TOPICS)
    db.session.flush()
    topics, kinds, systems = list(TOPICS), list(ResourceKind), [s.value for s in DpiSystem]
    now = utcnow()
    count = RESOURCES_PER_SCALE * scale
    specs = []
    for n in range(count):
        original = rng.choice(["es", "es", "en", "pt_BR"])
        share = rng.random()
        languages = list(LANGUAGES) if share < 0.9 else sorted({original, rng.choice(list(LANGUAGES))})
        moment = now - timedelta(days=rng.randint(0, 1500), minutes=n)
        specs.append(
            {
                "kind": rng.choice(kinds),
                "original_language": original,
                "topic_slugs": rng.sample(topics, 2),
                "countries": rng.sample(LAC_COUNTRY_CODES, rng.randint(1, 3)),
                "systems": rng.sample(systems, rng.randint(0, 2)),
                "principles": rng.sample(PRINCIPLES, rng.randint(1, 4)),
                "authors": [f"Autora {n}"],
                "organisation": "ILDA",
                "licence": "CC BY 4.0",
                "published_on": moment.date(),
                "source_url": "",
                "published_languages": sorted(languages),
                "last_published_at": moment,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    ids = db.session.scalars(
        sa.insert(Resource).returning(Resource.id, sort_by_parameter_order=True), specs
    ).all()
    versions, tags = [], []
    for n, (resource_id, spec) in enumerate(zip(ids, specs, strict=True)):
        for language in spec["published_languages"]:
            title = f"{_text(rng, language, 5).capitalize()} {n}"
            versions.append(
                {
                    "resource_id": resource_id,
                    "language": language,
                    "title": title,
                    "summary": _text(rng, language, 25).capitalize() + ".",
                    "body": _body(rng, language),
                    "slug": f"bench-{n}-{language.lower()}",
                    "status": VersionStatus.PUBLISHED,
                    "revision": 1,
                    "is_outdated": False,
                    "published_at": spec["last_published_at"],
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        tags.extend(
            {"resource_id": resource_id, "facet": facet, "value": value}
            for facet, values in tag_values(spec).items()
            for value in dict.fromkeys(values)
        )
    for start in range(0, len(versions), 2000):
        db.session.execute(sa.insert(ResourceVersion), versions[start : start + 2000])
    for start in range(0, len(tags), 5000):
        db.session.execute(sa.insert(ResourceTag), tags[start : start + 5000])
    requests = _seed_requests(rng, ids, specs, now)
    for start in range(0, len(requests), 5000):
        db.session.execute(sa.insert(TranslationRequest), requests[start : start + 5000])
    db.session.flush()
    # Fresh statistics, so the planner knows how the bulk rows are spread (PostgreSQL and SQLite alike).
    for table in ("resources", "resource_versions", "resource_tags", "translation_requests"):
        db.session.execute(sa.text(f"ANALYZE {table}"))
    return count + len(versions) + len(requests)


def _seed_requests(rng: random.Random, ids: list[int], specs: list[dict], now) -> list[dict]:
    """Readers asking for missing languages, so the translation board has demand to sort by."""
    readers = db.session.scalars(sa.select(User.id).where(User.email.like("bench-%")).limit(200)).all()
    rows = []
    for resource_id, spec in zip(ids, specs, strict=True):
        for language in LANGUAGES:
            if language in spec["published_languages"] or not readers:
                continue
            for reader in rng.sample(readers, min(len(readers), rng.randint(0, 12))):
                rows.append(
                    {"resource_id": resource_id, "language": language, "user_id": reader, "created_at": now}
                )
    return rows


# Suggestions for the safeguards results page ----------


def suggest(principle_codes: Iterable[str], limit: int) -> list[Suggestion]:
    """Published resources tagged with any of the principles, in the reader's language when possible."""
    codes = [code for code in principle_codes if code in PRINCIPLES]
    if not codes:
        return []
    language = current_language()
    rows = db.session.execute(
        sa.select(Resource, ResourceVersion)
        .join(ResourceVersion, ResourceVersion.resource_id == Resource.id)
        .where(
            ResourceVersion.id == search.display_version_id(language),
            Resource.last_published_at.is_not(None),
            sa.exists().where(
                ResourceTag.resource_id == Resource.id,
                ResourceTag.facet == FACET_PRINCIPLE,
                ResourceTag.value.in_(codes),
            ),
        )
        .order_by(Resource.last_published_at.desc())
        .limit(limit)
        .options(sa.orm.defer(ResourceVersion.body))
    ).all()
    return [
        Suggestion(
            kind="resource",
            title=version.title,
            url=url_for("library.read", lang=version.language, slug=version.slug),
            principles=tuple(code for code in resource.principles if code in codes),
            detail=resource.kind.label,
        )
        for resource, version in rows
    ]

"""Benchmark volume for the library (``flask seed``): resources in three languages, inserted in bulk."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.i18n import LANGUAGES
from consortium.library.demo import TOPICS, ensure_topics
from consortium.library.models import (
    Resource,
    ResourceKind,
    ResourceTag,
    ResourceVersion,
    TranslationRequest,
    VersionStatus,
)
from consortium.library.services import tag_values
from consortium.reference import principles
from consortium.reference.countries import LAC_COUNTRY_CODES
from consortium.reference.systems import ensure_reference_systems
from consortium.users.models import User

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
    ensure_topics(TOPICS)
    db.session.flush()
    topics, kinds, systems = list(TOPICS), list(ResourceKind), list(ensure_reference_systems()[0])
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
                "principles": rng.sample(principles.CODES, rng.randint(1, 4)),
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

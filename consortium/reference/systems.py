"""The DPI systems the consortium works on: the region's reference cases and those staff add.

One table for every feature: safeguards pilots point at a system's row, library resources and other
features tag by its ``slug`` (lower-case words joined by "-", never changed once used).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import Mapped, mapped_column

from consortium.db import Timestamped, db, enum_column
from consortium.i18n import N_, LabelledEnum, fast_gettext
from consortium.i18n import lazy_gettext as _l


class SystemKind(LabelledEnum):
    PAYMENTS = "payments"
    DIGITAL_ID = "digital_id"
    DATA_EXCHANGE = "data_exchange"
    OTHER = "other"

    __labels__ = {
        "payments": _l("Payments"),
        "digital_id": _l("Digital identity"),
        "data_exchange": _l("Data exchange"),
        "other": _l("Other"),
    }


class DpiSystem(Timestamped, db.Model):
    __tablename__ = "dpi_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: ISO alpha-2 codes; the first is where the system is run from
    countries: Mapped[list[str]]
    kind: Mapped[SystemKind] = mapped_column(enum_column(SystemKind))
    operator: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    def __str__(self) -> str:
        return self.name

    @property
    def display_operator(self) -> str:
        """The operator in the reader's language: reference systems' are catalogued, others as typed."""
        return fast_gettext(self.operator) if self.slug in REFERENCE_SLUGS else self.operator


#: The region's reference cases (Co-Develop's LAC consortium names these five). The migration that made
#: this table adds them, so every installation has them; ``ensure_reference_systems`` does too.
REFERENCE_SYSTEMS = (
    {
        "slug": "pix",
        "name": "Pix",
        "countries": ["BR"],
        "kind": SystemKind.PAYMENTS,
        "operator": "Banco Central do Brasil (BCB)",
        "description": "Instant payments with centralised settlement, launched on 16 November 2020.",
    },
    {
        "slug": "gov-br",
        "name": "gov.br",
        "countries": ["BR"],
        "kind": SystemKind.DIGITAL_ID,
        "operator": "Ministério da Gestão e da Inovação em Serviços Públicos (MGI)",
        "description": "Single sign-on and identity broker for federal digital services "
        "(bronze, silver and gold levels).",
    },
    {
        "slug": "bre-b",
        "name": "Bre-B",
        "countries": ["CO"],
        "kind": SystemKind.PAYMENTS,
        "operator": "Banco de la República",
        "description": "Interoperable instant payments; mass operation from 6 October 2025.",
    },
    {
        "slug": "llave-mx",
        "name": "Llave MX",
        "countries": ["MX"],
        "kind": SystemKind.DIGITAL_ID,
        "operator": "Agencia de Transformación Digital y Telecomunicaciones (ATDT)",
        "description": "Digital identity and authentication linked to the CURP, "
        "with basic and verified levels.",
    },
    {
        "slug": "ciudadano-digital",
        "name": "Ciudadano Digital",
        "countries": ["UY", "BR", "AR"],
        "kind": SystemKind.DIGITAL_ID,
        "operator": N_("AGESIC (ID Uruguay), GOV.br and Autenticar, with Red GEALC and the IDB"),
        "description": "Cross-border federation of national identity brokers (Ciudadano Digital Mercosur).",
    },
)

REFERENCE_SLUGS = frozenset(system["slug"] for system in REFERENCE_SYSTEMS)

#: Slugs the library used before the systems moved here; old links and API calls still find them.
FORMER_SLUGS = {"govbr": "gov-br", "breb": "bre-b", "llavemx": "llave-mx"}


class SystemExists(Exception):
    """Another DPI system already uses this short name."""


def create_system(
    *, slug: str, name: str, countries: list[str], kind: SystemKind, operator: str, description: str = ""
) -> DpiSystem:
    system = DpiSystem(
        slug=slug, name=name, countries=countries, kind=kind, operator=operator, description=description
    )
    try:
        # the unique short name decides, also between two people adding the same system at once
        with db.session.begin_nested():
            db.session.add(system)
    except sa.exc.IntegrityError:
        raise SystemExists(slug) from None
    return system


def ensure_reference_systems() -> tuple[dict[str, DpiSystem], int]:
    """Every system by slug, after adding any reference system missing; and how many were added."""
    existing = {s.slug: s for s in db.session.scalars(sa.select(DpiSystem))}
    created = 0
    for fields in REFERENCE_SYSTEMS:
        if fields["slug"] not in existing:
            existing[fields["slug"]] = create_system(**fields)
            created += 1
    return existing, created


def all_systems() -> list[DpiSystem]:
    return db.session.scalars(sa.select(DpiSystem).order_by(DpiSystem.name)).all()


def system_names() -> dict[str, str]:
    """{slug: name} of every system, in name order: one query, for choices and labels."""
    return dict(db.session.execute(sa.select(DpiSystem.slug, DpiSystem.name).order_by(DpiSystem.name)).all())


def system_name(slug: str) -> str:
    """A system's name for its slug (read once per request), or the slug itself when unknown."""
    if "dpi_system_names" not in g:
        g.dpi_system_names = system_names()
    return g.dpi_system_names.get(slug, slug)


def current_slug(slug: str | None) -> str | None:
    """The slug a system has today, for one that may come from an old link."""
    return FORMER_SLUGS.get(slug, slug) if slug else slug

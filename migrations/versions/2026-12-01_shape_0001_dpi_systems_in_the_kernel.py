"""DPI systems become kernel reference data: safeguards_systems -> dpi_systems, one slug each

The library spelled three systems without their hyphen ("govbr", "breb", "llavemx"); its resources
and filter tags now use the kernel's slugs. The region's five reference systems are added where
missing, so every installation offers them to every feature.

Revision ID: shape_0001
Revises: framework_0001
Create Date: 2026-12-01 12:30:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'shape_0001'
down_revision = 'framework_0001'
branch_labels = None
depends_on = None

RENAMED = {"govbr": "gov-br", "breb": "bre-b", "llavemx": "llave-mx"}

# A copy of consortium.reference.systems.REFERENCE_SYSTEMS as it was when this migration was written.
REFERENCE = [
    ("pix", "Pix", ["BR"], "payments", "Banco Central do Brasil (BCB)",
     "Instant payments with centralised settlement, launched on 16 November 2020."),
    ("gov-br", "gov.br", ["BR"], "digital_id", "Ministério da Gestão e da Inovação em Serviços Públicos (MGI)",
     "Single sign-on and identity broker for federal digital services (bronze, silver and gold levels)."),
    ("bre-b", "Bre-B", ["CO"], "payments", "Banco de la República",
     "Interoperable instant payments; mass operation from 6 October 2025."),
    ("llave-mx", "Llave MX", ["MX"], "digital_id", "Agencia de Transformación Digital y Telecomunicaciones (ATDT)",
     "Digital identity and authentication linked to the CURP, with basic and verified levels."),
    ("ciudadano-digital", "Ciudadano Digital", ["UY", "BR", "AR"], "digital_id",
     "AGESIC (ID Uruguay), GOV.br and Autenticar, with Red GEALC and the IDB",
     "Cross-border federation of national identity brokers (Ciudadano Digital Mercosur)."),
]

systems = sa.table(
    "dpi_systems",
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("countries", sa.JSON),
    sa.column("kind", sa.String),
    sa.column("operator", sa.String),
    sa.column("description", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
resources = sa.table("resources", sa.column("id", sa.Integer), sa.column("systems", sa.JSON))
tags = sa.table("resource_tags", sa.column("facet", sa.String), sa.column("value", sa.String))


def _rename_table(old: str, new: str) -> None:
    op.rename_table(f"{old}", f"{new}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER SEQUENCE {old}_id_seq RENAME TO {new}_id_seq")
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")
    with op.batch_alter_table(new, recreate="auto") as batch_op:
        batch_op.drop_constraint(f"uq_{old}_slug", type_="unique")
        batch_op.create_unique_constraint(f"uq_{new}_slug", ["slug"])
    with op.batch_alter_table("safeguards_pilots") as batch_op:
        batch_op.drop_constraint(f"fk_safeguards_pilots_system_id_{old}", type_="foreignkey")
        batch_op.create_foreign_key(f"fk_safeguards_pilots_system_id_{new}", new, ["system_id"], ["id"])


def _rename_library_slugs(renamed: dict[str, str]) -> None:
    bind = op.get_bind()
    for resource_id, values in bind.execute(sa.select(resources.c.id, resources.c.systems)).all():
        if values and any(value in renamed for value in values):
            new_values = list(dict.fromkeys(renamed.get(value, value) for value in values))
            bind.execute(resources.update().where(resources.c.id == resource_id).values(systems=new_values))
    for old, new in renamed.items():
        bind.execute(tags.update().where(tags.c.facet == "system", tags.c.value == old).values(value=new))


def upgrade():
    _rename_table("safeguards_systems", "dpi_systems")
    _rename_library_slugs(RENAMED)
    bind = op.get_bind()
    existing = set(bind.scalars(sa.select(systems.c.slug)))
    now = datetime.now(UTC)
    missing = [
        {"slug": slug, "name": name, "countries": countries, "kind": kind, "operator": operator,
         "description": description, "created_at": now, "updated_at": now}
        for slug, name, countries, kind, operator, description in REFERENCE
        if slug not in existing
    ]
    if missing:
        bind.execute(systems.insert(), missing)


def downgrade():
    # The reference systems added stay: safeguards may already have pilots of them.
    _rename_library_slugs({new: old for old, new in RENAMED.items()})
    _rename_table("dpi_systems", "safeguards_systems")

"""library search functions name what they call, so a pg_dump restores

pg_restore runs with an empty search_path, so the generated search column failed to rebuild: its
function called library_unaccent() without naming its schema.

Revision ID: library_0002
Revises: library_merge
Create Date: 2026-12-01 09:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'library_0002'
down_revision = 'library_merge'
branch_labels = None
depends_on = None

VECTOR = """CREATE OR REPLACE FUNCTION library_search_vector(language text, title text, summary text, body text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT
        setweight(to_tsvector(c, {unaccent}(coalesce(title, ''))), 'A')
        || setweight(to_tsvector(c, {unaccent}(coalesce(summary, ''))), 'B')
        || setweight(to_tsvector(c, {unaccent}(coalesce(body, ''))), 'D')
    FROM (SELECT CASE language WHEN 'es' THEN 'pg_catalog.spanish'::regconfig
                               WHEN 'pt_BR' THEN 'pg_catalog.portuguese'::regconfig
                               ELSE 'pg_catalog.english'::regconfig END AS c) AS config $$"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(VECTOR.format(unaccent="public.library_unaccent"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(VECTOR.format(unaccent="library_unaccent"))

"""library search ranks a small title and summary vector and always matches through the GIN index

The whole-text vector of a guide is large (compressed, often out of line): ranking it for every match
and matching it row by row in a sequential scan read ~32,000 buffers for one frequent word on 10,000
versions. The planner cannot see that cost and chose the sequential scan, so matching moves into a
function planned without sequential scans, and ranking reads a second vector of the title and summary
only (weights A and B, as in the whole-text vector).

Revision ID: perf_0001
Revises: truth_0001
Create Date: 2026-12-01 13:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'perf_0001'
down_revision = 'truth_0001'
branch_labels = None
depends_on = None

POSTGRESQL_UP = [
    """ALTER TABLE resource_versions ADD COLUMN search_rank_vector tsvector
        GENERATED ALWAYS AS (public.library_search_vector(language, title, summary, '')) STORED""",
    # A function with a SET clause is never inlined: its query is planned with the setting, so the
    # match always comes from the GIN index (exact, no recheck) and the large vector is never read.
    # Its only condition is the match, so no other index (status, language) can be picked instead.
    """CREATE OR REPLACE FUNCTION library_search_matches(query tsquery)
        RETURNS TABLE (resource_id integer, language varchar, status varchar, score real)
        LANGUAGE sql STABLE PARALLEL SAFE ROWS 500
        SET enable_seqscan = off
        AS $$ SELECT v.resource_id, v.language, v.status, -ts_rank(v.search_rank_vector, query)
              FROM public.resource_versions AS v
              WHERE v.search_vector @@ query $$""",
]
POSTGRESQL_DOWN = [
    "DROP FUNCTION IF EXISTS library_search_matches(tsquery)",
    "ALTER TABLE resource_versions DROP COLUMN IF EXISTS search_rank_vector",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_UP:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DOWN:
            op.execute(statement)

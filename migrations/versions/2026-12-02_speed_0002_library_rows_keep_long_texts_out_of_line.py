"""library versions keep their long texts out of line: a search reads narrow rows

A version's row held its body and its whole-text vector inline, compressed (about 2 KB, four rows a
page): a search for a frequent word visited 2,484 heap pages for 3,385 matches, to read the
title-and-summary vector it ranks. With a 256-byte target the body and the whole-text vector move to the
TOAST table (a guide's page still reads its body, with one more index lookup), while the title, the
summary and the ranking vector stay in the row (``STORAGE MAIN``): ten rows a page, 1,013 pages.
The match never reads the whole-text vector (the GIN index answers it exactly) and the lists defer the
body, so neither needs what moved out.

Rows written before take the layout when rewritten: the update below rewrites each once (a few seconds
for 10,000 versions; autovacuum then reclaims the old row versions).

Revision ID: speed_0002
Revises: speed_0001
Create Date: 2026-12-02 04:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'speed_0002'
down_revision = 'speed_0001'
branch_labels = None
depends_on = None

KEPT_IN_THE_ROW = ("title", "summary", "search_rank_vector")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE resource_versions SET (toast_tuple_target = 256)")
    for column in KEPT_IN_THE_ROW:
        op.execute(f"ALTER TABLE resource_versions ALTER COLUMN {column} SET STORAGE MAIN")
    op.execute("UPDATE resource_versions SET body = body")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE resource_versions RESET (toast_tuple_target)")
    for column in KEPT_IN_THE_ROW:
        op.execute(f"ALTER TABLE resource_versions ALTER COLUMN {column} SET STORAGE EXTENDED")

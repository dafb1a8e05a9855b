"""join the library branch

Revision ID: library_merge
Revises: features_merge, library_0001
Create Date: 2026-11-23 07:44:26.649528

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'library_merge'
down_revision = ('features_merge', 'library_0001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

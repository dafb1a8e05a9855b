"""consultations started from a published document (consortium.consultables)

Revision ID: docs_0001
Revises: roadmap2_0001
Create Date: 2026-12-01 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'docs_0001'
down_revision = 'roadmap2_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('governance_consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_title', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_url', sa.String(length=500), server_default='', nullable=False))


def downgrade():
    # dropped in place (SQLite 3.35+): rebuilding this table would cascade-delete its sections and contributions
    with op.batch_alter_table('governance_consultations', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('source_url')
        batch_op.drop_column('source_title')
        batch_op.drop_column('source_key')

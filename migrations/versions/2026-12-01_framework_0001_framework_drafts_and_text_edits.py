"""framework drafts and text edits: imported versions start unpublished; processes count their text edits

Revision ID: framework_0001
Revises: wizard_0001
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'framework_0001'
down_revision = 'wizard_0001'
branch_labels = None
depends_on = None


def upgrade():
    # Versions loaded before this revision came from reviewed files: they are published since they were loaded.
    with op.batch_alter_table('safeguards_frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_published', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='1'))
    op.execute('UPDATE safeguards_frameworks SET published_at = loaded_at')
    with op.batch_alter_table('safeguards_processes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('safeguards_processes', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('safeguards_frameworks', schema=None) as batch_op:
        batch_op.drop_column('revision')
        batch_op.drop_column('published_at')
        batch_op.drop_column('is_published')

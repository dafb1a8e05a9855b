"""attachments read their size and content type from their stored file, which already held them

The copies in ``attachments`` are dropped; a downgrade puts them back from ``stored_files``.

Revision ID: fixes2_0001
Revises: gov2_0001
Create Date: 2026-12-01 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fixes2_0001'
down_revision = 'gov2_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_column('size')
        batch_op.drop_column('content_type')


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_type', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=True))
    stored = 'SELECT {} FROM stored_files WHERE stored_files.key = attachments.stored_name'
    op.execute(f"UPDATE attachments SET content_type = ({stored.format('content_type')}),"
               f" size = ({stored.format('size')})")
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.alter_column('content_type', existing_type=sa.String(length=120), nullable=False)
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=False)

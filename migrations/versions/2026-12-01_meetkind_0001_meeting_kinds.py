"""a meeting's kind: plenary, working group, public hearing or validation workshop

Revision ID: meetkind_0001
Revises: digest_0001
Create Date: 2026-12-01 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'meetkind_0001'
down_revision = 'digest_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('governance_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('plenary', 'working_group', 'public_hearing', 'validation_workshop', name='meetingkind', native_enum=False, create_constraint=False, length=32), server_default='plenary', nullable=False))


def downgrade():
    # dropped in place (SQLite 3.35+): a rebuild would cascade-delete the attendance and minutes comments
    with op.batch_alter_table('governance_meetings', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('kind')

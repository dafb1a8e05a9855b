"""assessments: when they entered their state (the staff work queue) and their public withdrawal

Revision ID: wizard_0001
Revises: storage_0001
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'wizard_0001'
down_revision = 'storage_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('safeguards_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), server_default='', nullable=False))
    # the best guess for existing rows: the last dated step, else the last change
    op.execute(
        "UPDATE safeguards_assessments SET state_changed_at = "
        "COALESCE(published_at, approved_at, submitted_at, updated_at, created_at)"
    )
    with op.batch_alter_table('safeguards_assessments', schema=None) as batch_op:
        batch_op.alter_column('state_changed_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('withdrawal_reason', server_default=None)
        batch_op.create_index(batch_op.f('ix_safeguards_assessments_state_changed_at'), ['state_changed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('safeguards_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguards_assessments_state_changed_at'))
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('state_changed_at')

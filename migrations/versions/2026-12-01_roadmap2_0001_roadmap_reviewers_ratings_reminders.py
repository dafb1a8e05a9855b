"""roadmap independent reviewers and their ratings; reminders claimed once per action and kind

Revision ID: roadmap2_0001
Revises: roadmap_0001
Create Date: 2026-12-01 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'roadmap2_0001'
down_revision = 'fixes2_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('safeguards_roadmap_reviewers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roadmap_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_safeguards_roadmap_reviewers_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_safeguards_roadmap_reviewers_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['roadmap_id'], ['safeguards_roadmaps.id'], name=op.f('fk_safeguards_roadmap_reviewers_roadmap_id_safeguards_roadmaps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_safeguards_roadmap_reviewers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguards_roadmap_reviewers')),
    sa.UniqueConstraint('roadmap_id', 'user_id', name=op.f('uq_safeguards_roadmap_reviewers_roadmap_id'))
    )
    with op.batch_alter_table('safeguards_roadmap_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguards_roadmap_reviewers_user_id'), ['user_id'], unique=False)

    op.create_table('safeguards_action_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('completion', sa.Integer(), nullable=False),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('action_state', sa.Enum('proposed', 'validated', 'in_progress', 'completed', 'delayed', 'at_risk', 'dropped', name='actionstate', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['safeguards_actions.id'], name=op.f('fk_safeguards_action_ratings_action_id_safeguards_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_safeguards_action_ratings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_safeguards_action_ratings_reviewer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguards_action_ratings')),
    sa.UniqueConstraint('action_id', 'reviewer_id', name=op.f('uq_safeguards_action_ratings_action_id'))
    )
    with op.batch_alter_table('safeguards_action_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguards_action_ratings_action_id'), ['action_id'], unique=False)

    with op.batch_alter_table('safeguards_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_reminder_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('quiet_reminder_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('safeguards_actions', schema=None) as batch_op:
        batch_op.drop_column('quiet_reminder_at')
        batch_op.drop_column('due_reminder_at')

    with op.batch_alter_table('safeguards_action_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguards_action_ratings_action_id'))
    op.drop_table('safeguards_action_ratings')
    with op.batch_alter_table('safeguards_roadmap_reviewers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguards_roadmap_reviewers_user_id'))
    op.drop_table('safeguards_roadmap_reviewers')

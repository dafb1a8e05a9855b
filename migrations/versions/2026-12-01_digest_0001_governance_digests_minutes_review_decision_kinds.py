"""governance digests, minutes review, meeting changes and decision kinds

Followers choose a daily or weekly digest, and may follow one consultation; what happens in a space is
kept as events and each digest is claimed once per person and period. Meetings get a draft of their
minutes under review by the attendees, a calendar sequence and a cancellation; decisions a kind, a
method (consensus or vote) and the dissent.

Revision ID: digest_0001
Revises: contrib_0001
Create Date: 2026-12-01 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'digest_0001'
down_revision = 'contrib_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('governance_follows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frequency', sa.Enum('daily', 'weekly', name='digestfrequency', native_enum=False, create_constraint=False, length=32), server_default='daily', nullable=False))

    op.create_table('governance_consultation_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.Enum('daily', 'weekly', name='digestfrequency', native_enum=False, create_constraint=False, length=32), server_default='daily', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['governance_consultations.id'], name=op.f('fk_governance_consultation_follows_consultation_id_governance_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_governance_consultation_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_consultation_follows')),
    sa.UniqueConstraint('consultation_id', 'user_id', name=op.f('uq_governance_consultation_follows_consultation_id'))
    )
    with op.batch_alter_table('governance_consultation_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_consultation_follows_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_governance_consultation_follows_user_id'), ['user_id'], unique=False)

    op.create_table('governance_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('consultation_opened', 'consultation_closed', 'decision_published', 'meeting_scheduled', 'meeting_changed', 'meeting_cancelled', 'minutes_published', name='eventkind', native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['governance_consultations.id'], name=op.f('fk_governance_events_consultation_id_governance_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['governance_spaces.id'], name=op.f('fk_governance_events_space_id_governance_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_events'))
    )
    with op.batch_alter_table('governance_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_events_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_governance_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_governance_events_space_id'), ['space_id'], unique=False)

    op.create_table('governance_digest_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.Enum('daily', 'weekly', name='digestfrequency', native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('covered_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_governance_digest_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_digest_claims')),
    sa.UniqueConstraint('user_id', 'frequency', 'period', name=op.f('uq_governance_digest_claims_user_id'))
    )
    with op.batch_alter_table('governance_digest_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_digest_claims_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('governance_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_minutes', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('review_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), server_default='', nullable=False))

    op.create_table('governance_minutes_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('is_objection', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['governance_meetings.id'], name=op.f('fk_governance_minutes_comments_meeting_id_governance_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seat_id'], ['governance_seats.id'], name=op.f('fk_governance_minutes_comments_seat_id_governance_seats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_minutes_comments')),
    sa.UniqueConstraint('meeting_id', 'seat_id', name=op.f('uq_governance_minutes_comments_meeting_id'))
    )
    with op.batch_alter_table('governance_minutes_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_minutes_comments_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('governance_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('validation', 'resolution', 'recommendation', 'priority_ranking', name='decisionkind', native_enum=False, create_constraint=False, length=32), server_default='resolution', nullable=False))
        batch_op.add_column(sa.Column('method', sa.Enum('consensus', 'vote', name='decisionmethod', native_enum=False, create_constraint=False, length=32), server_default='vote', nullable=False))
        batch_op.add_column(sa.Column('dissent', sa.Text(), server_default='', nullable=False))


def downgrade():
    # columns dropped in place (SQLite 3.35+): a rebuild would cascade-delete the votes and attendance
    with op.batch_alter_table('governance_decisions', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('dissent')
        batch_op.drop_column('method')
        batch_op.drop_column('kind')

    with op.batch_alter_table('governance_minutes_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_minutes_comments_meeting_id'))
    op.drop_table('governance_minutes_comments')

    with op.batch_alter_table('governance_meetings', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('sequence')
        batch_op.drop_column('review_until')
        batch_op.drop_column('draft_minutes')

    with op.batch_alter_table('governance_digest_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_digest_claims_user_id'))
    op.drop_table('governance_digest_claims')

    with op.batch_alter_table('governance_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_events_space_id'))
        batch_op.drop_index(batch_op.f('ix_governance_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_governance_events_consultation_id'))
    op.drop_table('governance_events')

    with op.batch_alter_table('governance_consultation_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_consultation_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_governance_consultation_follows_consultation_id'))
    op.drop_table('governance_consultation_follows')

    with op.batch_alter_table('governance_follows', schema=None) as batch_op:
        batch_op.drop_column('frequency')

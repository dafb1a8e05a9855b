"""consultation lifecycle (scheduled, responding, published, archived; planned times) and official
responses as their own rows, approved by a second person; the answers stored on contributions move there

Revision ID: consult_0001
Revises: docs_0001
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa

from consortium.migrating import keeping


# revision identifiers, used by Alembic.
revision = 'consult_0001'
down_revision = 'docs_0001'
branch_labels = None
depends_on = None


def _rebuilding_contributions():
    """The decisions' links to contributions (and, on the way down, the responses' links) survive the
    SQLite rebuild of the contributions' table."""
    return keeping(op, 'governance_decision_contributions', 'governance_response_contributions')


DISPOSITIONS = ('accepted', 'partially_accepted', 'under_evaluation', 'not_accepted', 'out_of_scope', 'referred')


def upgrade():
    with op.batch_alter_table('governance_consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('responses_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('responses_published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_governance_consultations_opens_at'), ['opens_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_governance_consultations_closes_at'), ['closes_at'], unique=False)

    op.create_table('governance_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('disposition', sa.Enum(*DISPOSITIONS, name='disposition', native_enum=False, length=32), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('commitment', sa.Text(), nullable=False),
    sa.Column('commitment_link', sa.String(length=500), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_governance_responses_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['governance_consultations.id'], name=op.f('fk_governance_responses_consultation_id_governance_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_governance_responses_drafted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_governance_responses_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_responses'))
    )
    with op.batch_alter_table('governance_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_responses_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('governance_response_contributions',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['governance_contributions.id'], name=op.f('fk_governance_response_contributions_contribution_id_governance_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['governance_responses.id'], name=op.f('fk_governance_response_contributions_response_id_governance_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'contribution_id', name=op.f('pk_governance_response_contributions')),
    sa.UniqueConstraint('contribution_id', name=op.f('uq_governance_response_contributions_contribution_id'))
    )

    # Each answer given so far becomes a response of its own (same id), approved by whoever gave it. A
    # closed consultation used to mean "responses public": it is now "responses published".
    op.execute(
        "INSERT INTO governance_responses (id, consultation_id, disposition, rationale, commitment,"
        " commitment_link, drafted_by_id, organisation_id, approved_by_id, approved_at, published_at,"
        " created_at, updated_at, version)"
        " SELECT c.id, c.consultation_id,"
        " CASE c.disposition WHEN 'partly' THEN 'partially_accepted' ELSE c.disposition END,"
        " c.reason, '', '', c.answered_by_id,"
        " (SELECT s.organisation_id FROM governance_seats s WHERE s.space_id = k.space_id"
        "  AND s.user_id = c.answered_by_id),"
        " c.answered_by_id, c.answered_at,"
        " CASE WHEN k.state = 'closed' THEN COALESCE(k.closed_at, c.answered_at) END,"
        " c.answered_at, c.answered_at, 1"
        " FROM governance_contributions c JOIN governance_consultations k ON k.id = c.consultation_id"
        " WHERE c.answered_at IS NOT NULL"
    )
    op.execute(
        "INSERT INTO governance_response_contributions (response_id, contribution_id)"
        " SELECT id, id FROM governance_contributions WHERE answered_at IS NOT NULL"
    )
    op.execute(
        "UPDATE governance_consultations SET state = 'published', responses_published_at = closed_at"
        " WHERE state = 'closed'"
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "SELECT setval(pg_get_serial_sequence('governance_responses', 'id'),"
            " COALESCE((SELECT MAX(id) FROM governance_responses), 0) + 1, false)"
        )

    with _rebuilding_contributions(), op.batch_alter_table('governance_contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_contributions_answered_at'))
        batch_op.drop_constraint(batch_op.f('fk_governance_contributions_answered_by_id_users'), type_='foreignkey')
        batch_op.drop_column('answered_by_id')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('reason')
        batch_op.drop_column('disposition')


def downgrade():
    with _rebuilding_contributions(), op.batch_alter_table('governance_contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disposition', sa.Enum('accepted', 'partly', 'not_accepted', name='disposition', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_governance_contributions_answered_by_id_users'), 'users', ['answered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_governance_contributions_answered_at'), ['answered_at'], unique=False)
    # approved answers go back onto their contributions; drafts and the new dispositions' nuance are lost
    op.execute(
        "UPDATE governance_contributions SET"
        " disposition = (SELECT CASE r.disposition WHEN 'accepted' THEN 'accepted'"
        "  WHEN 'partially_accepted' THEN 'partly' ELSE 'not_accepted' END"
        "  FROM governance_responses r JOIN governance_response_contributions l ON l.response_id = r.id"
        "  WHERE l.contribution_id = governance_contributions.id AND r.approved_at IS NOT NULL),"
        " reason = COALESCE((SELECT r.rationale FROM governance_responses r"
        "  JOIN governance_response_contributions l ON l.response_id = r.id"
        "  WHERE l.contribution_id = governance_contributions.id AND r.approved_at IS NOT NULL), ''),"
        " answered_at = (SELECT r.approved_at FROM governance_responses r"
        "  JOIN governance_response_contributions l ON l.response_id = r.id"
        "  WHERE l.contribution_id = governance_contributions.id AND r.approved_at IS NOT NULL),"
        " answered_by_id = (SELECT r.approved_by_id FROM governance_responses r"
        "  JOIN governance_response_contributions l ON l.response_id = r.id"
        "  WHERE l.contribution_id = governance_contributions.id AND r.approved_at IS NOT NULL)"
    )
    op.execute(
        "UPDATE governance_consultations SET state = CASE state WHEN 'scheduled' THEN 'draft'"
        " WHEN 'responding' THEN 'closed' WHEN 'published' THEN 'closed' WHEN 'archived' THEN 'closed'"
        " ELSE state END"
    )
    op.drop_table('governance_response_contributions')
    with op.batch_alter_table('governance_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_responses_consultation_id'))
    op.drop_table('governance_responses')
    # dropped in place (SQLite 3.35+): rebuilding this table would cascade-delete its sections and contributions
    with op.batch_alter_table('governance_consultations', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_consultations_closes_at'))
        batch_op.drop_index(batch_op.f('ix_governance_consultations_opens_at'))
        batch_op.drop_column('responses_published_at')
        batch_op.drop_column('responses_due_at')
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')

"""consultation eligibility and moderation; contribution kinds, language, link, visibility; supports and co-signatures

Revision ID: contrib_0001
Revises: consult_0001
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa

from consortium.migrating import keeping


# revision identifiers, used by Alembic.
revision = 'contrib_0001'
down_revision = 'consult_0001'
branch_labels = None
depends_on = None


def _rebuilding_contributions():
    return keeping(
        op,
        'governance_decision_contributions',
        'governance_response_contributions',
        'governance_supports',
        'governance_cosignatures',
    )


def upgrade():
    with op.batch_alter_table('governance_consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eligibility', sa.Enum('public', 'verified_organisations', 'members', name='eligibility', native_enum=False, length=32), server_default='members', nullable=False))
        batch_op.add_column(sa.Column('moderation', sa.Enum('pre', 'post', name='moderation', native_enum=False, length=32), server_default='post', nullable=False))

    # SQLite rebuilds the table to add the foreign key: the rows that point at it are kept meanwhile
    with _rebuilding_contributions(), op.batch_alter_table('governance_contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('comment', 'proposal', 'objection', 'evidence', name='contributionkind', native_enum=False, length=32), server_default='comment', nullable=False))
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='es', nullable=False))
        batch_op.add_column(sa.Column('link', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('visibility', sa.Enum('pending', 'published', 'hidden', name='visibility', native_enum=False, length=32), server_default='published', nullable=False))
        batch_op.add_column(sa.Column('moderation_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('moderated_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_governance_contributions_visibility'), ['visibility'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_governance_contributions_moderated_by_id_users'), 'users', ['moderated_by_id'], ['id'], ondelete='SET NULL')

    op.create_table('governance_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['governance_contributions.id'], name=op.f('fk_governance_supports_contribution_id_governance_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_governance_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_supports')),
    sa.UniqueConstraint('contribution_id', 'user_id', name=op.f('uq_governance_supports_contribution_id'))
    )
    with op.batch_alter_table('governance_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_supports_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_governance_supports_user_id'), ['user_id'], unique=False)

    op.create_table('governance_cosignatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['governance_contributions.id'], name=op.f('fk_governance_cosignatures_contribution_id_governance_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_governance_cosignatures_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_governance_cosignatures_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_cosignatures')),
    sa.UniqueConstraint('contribution_id', 'organisation_id', name=op.f('uq_governance_cosignatures_contribution_id'))
    )
    with op.batch_alter_table('governance_cosignatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_cosignatures_contribution_id'), ['contribution_id'], unique=False)


def downgrade():
    with op.batch_alter_table('governance_cosignatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_cosignatures_contribution_id'))
    op.drop_table('governance_cosignatures')
    with op.batch_alter_table('governance_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_supports_user_id'))
        batch_op.drop_index(batch_op.f('ix_governance_supports_contribution_id'))
    op.drop_table('governance_supports')

    with _rebuilding_contributions(), op.batch_alter_table('governance_contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_governance_contributions_moderated_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_governance_contributions_visibility'))
        batch_op.drop_column('moderated_by_id')
        batch_op.drop_column('moderated_at')
        batch_op.drop_column('moderation_reason')
        batch_op.drop_column('visibility')
        batch_op.drop_column('link')
        batch_op.drop_column('language')
        batch_op.drop_column('kind')

    # dropped in place (SQLite 3.35+): rebuilding this table would cascade-delete its sections and contributions
    with op.batch_alter_table('governance_consultations', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('moderation')
        batch_op.drop_column('eligibility')

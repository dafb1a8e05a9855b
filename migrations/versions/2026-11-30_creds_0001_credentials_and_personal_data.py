"""credentials and personal data: session last-seen stamps, log-in unlock links, deleted accounts

Revision ID: creds_0001
Revises: library_0002
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'creds_0001'
down_revision = 'library_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_unlocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_unlocks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_unlocks')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_unlocks_token_hash'))
    )
    with op.batch_alter_table('login_unlocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_unlocks_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))

    # Existing sessions were last seen when they started, as far as anyone knows.
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE user_sessions SET last_seen_at = created_at')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')

    with op.batch_alter_table('login_unlocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_unlocks_user_id'))

    op.drop_table('login_unlocks')

"""truthful certificates, reports and seats: revoked certificates, rejected reports, held seats

Revision ID: truth_0001
Revises: threads_0001
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'truth_0001'
down_revision = 'threads_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revocation', sa.Enum('attendance_corrected', 'staff_decision', name='revocation', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_certificates_revoked_by_id_users'), 'users', ['revoked_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('dissemination_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rejected_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_foreign_key(batch_op.f('fk_dissemination_reports_rejected_by_id_users'), 'users', ['rejected_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_held_until', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificates_issued_at', sa.DateTime(timezone=True), nullable=True))
    # Trainings that ended before this revision issued their certificates the old way, as marked.
    op.execute("UPDATE trainings SET certificates_issued_at = ends_at WHERE ends_at <= CURRENT_TIMESTAMP")

    # The defaults filled the existing rows; the models give the values from now on.
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('revoked_reason', server_default=None)
    with op.batch_alter_table('dissemination_reports', schema=None) as batch_op:
        batch_op.alter_column('rejection_reason', server_default=None)
        batch_op.alter_column('version', server_default=None)


def downgrade():
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_column('certificates_issued_at')

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('seat_held_until')

    with op.batch_alter_table('dissemination_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dissemination_reports_rejected_by_id_users'), type_='foreignkey')
        batch_op.drop_column('version')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('rejected_by_id')
        batch_op.drop_column('rejected_at')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_revoked_by_id_users'), type_='foreignkey')
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('revocation')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_column('revoked_at')

"""join the trainings and safeguards branches

Revision ID: features_merge
Revises: safeguards_0001, trainings_0001
Create Date: 2026-11-23 07:41:35.237565

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'features_merge'
down_revision = ('safeguards_0001', 'trainings_0001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

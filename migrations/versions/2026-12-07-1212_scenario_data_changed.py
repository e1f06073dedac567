"""scenario solutions: whether the data changed under a scenario

Revision ID: f9556e750e3d
Revises: e9b0acd1a2bb
Create Date: 2026-12-07 12:12:16.745642
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'f9556e750e3d'
down_revision: str | None = 'e9b0acd1a2bb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scenario_solution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scenario_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('data_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('scenario_solution', schema=None) as batch_op:
        batch_op.drop_column('data_changed_at')
        batch_op.drop_column('scenario_version')


"""scenario solutions: the optimiser's answer kept per scenario, by a fingerprint of its inputs

Revision ID: 5c1d0e7a9b42
Revises: f919e62aae15
Create Date: 2026-12-01 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '5c1d0e7a9b42'
down_revision: str | None = 'f919e62aae15'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('scenario_solution',
    sa.Column('scenario_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('solved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_solution_scenario_id_scenario'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scenario_id', name=op.f('pk_scenario_solution'))
    )


def downgrade() -> None:
    op.drop_table('scenario_solution')

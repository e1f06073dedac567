"""scenarios: the results' weights from an adopted session round

Revision ID: 5c1e0d7a9b21
Revises: 8185caba3791
Create Date: 2026-12-07 15:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5c1e0d7a9b21'
down_revision: str | None = '8185caba3791'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight_round_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                'weight_mode',
                sa.Enum('overall', 'perspectives', name='weightmode', native_enum=False),
                nullable=False,
                server_default='overall',
            )
        )
        batch_op.create_index(batch_op.f('ix_scenario_weight_round_id'), ['weight_round_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_scenario_weight_round_id_round'), 'round', ['weight_round_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_scenario_weight_round_id_round'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_scenario_weight_round_id'))
        batch_op.drop_column('weight_mode')
        batch_op.drop_column('weight_round_id')

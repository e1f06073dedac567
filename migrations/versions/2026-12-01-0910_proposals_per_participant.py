"""rounds: how many proposals one participant may send (inbreng, begrip)

Revision ID: 8e4b2f61c0d7
Revises: 5c1d0e7a9b42
Create Date: 2026-12-01 09:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '8e4b2f61c0d7'
down_revision: str | None = '5c1d0e7a9b42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('proposals_per_participant', sa.Integer(), nullable=False, server_default='5')
        )
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.alter_column('proposals_per_participant', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('proposals_per_participant')

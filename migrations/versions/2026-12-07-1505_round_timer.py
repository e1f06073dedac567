"""live sessions: a timer per round

Revision ID: 3c1e7a9d5b20
Revises: 3c5e1f0a9b27
Create Date: 2026-12-07 15:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '3c1e7a9d5b20'
down_revision: str | None = '3c5e1f0a9b27'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closes_itself', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('ends_at')
        batch_op.drop_column('closes_itself')
        batch_op.drop_column('minutes')

"""live sessions: the smallest group shown apart

Revision ID: 8185caba3791
Revises: f9556e750e3d
Create Date: 2026-12-07 12:21:37.255832
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '8185caba3791'
down_revision: str | None = 'f9556e750e3d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_group_size', sa.Integer(), nullable=False, server_default='3'))



def downgrade() -> None:
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_column('min_group_size')


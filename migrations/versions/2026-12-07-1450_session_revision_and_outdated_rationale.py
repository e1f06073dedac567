"""live sessions: a revision that every change of what the screens show moves on; a result's
rationale marked outdated when a session's outcome moved it

Revision ID: 3c5e1f0a9b27
Revises: 8185caba3791
Create Date: 2026-12-07 14:50:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '3c5e1f0a9b27'
down_revision: str | None = '8185caba3791'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('result', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('rationale_outdated', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('result', schema=None) as batch_op:
        batch_op.drop_column('rationale_outdated')
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_column('revision')

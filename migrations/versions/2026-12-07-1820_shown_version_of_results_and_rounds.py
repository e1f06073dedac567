"""results and rounds: a shown version that every change bumps (priority and status included), for
the API's versie and ETag

Revision ID: 7d2f4b9c1e60
Revises: 5e1c0a7d2b94
Create Date: 2026-12-07 18:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '7d2f4b9c1e60'
down_revision: str | None = '5e1c0a7d2b94'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('result', 'round')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('shown_version', sa.Integer(), nullable=False, server_default='1')
            )
        # the versie a client read stays what it was (its ETag had the status folded in)
        op.execute(sa.text(f'UPDATE "{table}" SET shown_version = version'))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('shown_version')

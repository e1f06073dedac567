"""proposals approved before the projector shows them (per round), a proposal's text as sent
when the facilitator rewrote it, and the session's afspraken for the verslag

Revision ID: 5e1c0a7d2b94
Revises: 999bf6327534
Create Date: 2026-12-07 18:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "5e1c0a7d2b94"
down_revision: str | None = "999bf6327534"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approve_first", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("round_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pending", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("sent_text", sa.Text(), nullable=True))
    with op.batch_alter_table("live_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreements", sa.Text(), nullable=True))


def downgrade() -> None:
    # A proposal that still waited for approval was not shown before: it stays hidden.
    op.execute("UPDATE round_item SET hidden = true WHERE pending = true")
    with op.batch_alter_table("live_session", schema=None) as batch_op:
        batch_op.drop_column("agreements")
    with op.batch_alter_table("round_item", schema=None) as batch_op:
        batch_op.drop_column("sent_text")
        batch_op.drop_column("pending")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("approve_first")

"""two-factor sign-in (the app's key, recovery codes, their throttle, how a session signed in);
the audit log to BIO2: result, origin, events without a row, entries chained by hash

Revision ID: 46479bcf7518
Revises: 93f2386d0e0b
Create Date: 2026-12-07 14:54:24.042085
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '46479bcf7518'
down_revision: str | None = '93f2386d0e0b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_code_code_hash'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    op.create_table('second_factor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('encrypted_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_step', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_second_factor_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_second_factor'))
    )
    op.create_table('second_factor_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('pending', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_second_factor_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor_attempt'))
    )
    with op.batch_alter_table('second_factor_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_factor_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_second_factor_attempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_second_factor_attempt_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_required', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('sign_in_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.Enum('password', 'password_code', 'api_token', name='signinmethod', native_enum=False), nullable=False, server_default='password'))
        batch_op.add_column(sa.Column('awaiting_code', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('audit_chain',
    sa.Column('chain', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_chain'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result', sa.Enum('success', 'failed', 'refused', name='auditresult', native_enum=False), nullable=False, server_default='success'))
        batch_op.add_column(sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.alter_column('organisation_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('action',
               existing_type=sa.VARCHAR(length=6),
               type_=sa.Enum('create', 'update', 'delete', 'sign_in', 'second_step', 'sign_out', 'second_factor_set_up', 'second_factor_reset', 'setting', 'write', name='auditaction', native_enum=False),
               existing_nullable=False)
        batch_op.alter_column('entity_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('ix_audit_entry_chain', ['organisation_id', 'chain_seq'], unique=False)


def downgrade() -> None:
    # Events (sign-ins, refusals) did not exist before: they go, with the installation's log.
    op.execute(
        "DELETE FROM audit_entry WHERE organisation_id IS NULL OR entity_id IS NULL "
        "OR action NOT IN ('create', 'update', 'delete')"
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_chain')
        batch_op.alter_column('entity_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('action',
               existing_type=sa.Enum('create', 'update', 'delete', 'sign_in', 'second_step', 'sign_out', 'second_factor_set_up', 'second_factor_reset', 'setting', 'write', name='auditaction', native_enum=False),
               type_=sa.VARCHAR(length=6),
               existing_nullable=False)
        batch_op.alter_column('organisation_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('chain_seq')
        batch_op.drop_column('origin')
        batch_op.drop_column('result')

    op.drop_table('audit_chain')

    with op.batch_alter_table('sign_in_session', schema=None) as batch_op:
        batch_op.drop_column('awaiting_code')
        batch_op.drop_column('method')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('second_factor_required')

    with op.batch_alter_table('second_factor_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_factor_attempt_user_id'))
        batch_op.drop_index(batch_op.f('ix_second_factor_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_second_factor_attempt_address'))

    op.drop_table('second_factor_attempt')
    op.drop_table('second_factor')
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))

    op.drop_table('recovery_code')

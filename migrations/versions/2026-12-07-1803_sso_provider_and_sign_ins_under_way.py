"""sign-in through the organisation's own identity provider (OpenID Connect): its settings,
and the sign-ins under way (state, nonce, PKCE verifier)

Revision ID: 999bf6327534
Revises: 46479bcf7518
Create Date: 2026-12-07 18:03:50.194507
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '999bf6327534'
down_revision: str | None = '46479bcf7518'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sso_login',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('encrypted_verifier', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('next_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sso_login_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_login')),
    sa.UniqueConstraint('state_hash', name=op.f('uq_sso_login_state_hash'))
    )
    with op.batch_alter_table('sso_login', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_login_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sso_login_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('sso_provider',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('secret_env', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('secret_file', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('role_claim', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('role_map', sa.JSON(), nullable=False),
    sa.Column('default_role', sa.Enum('admin', 'facilitator', 'partner', 'reader', name='role', native_enum=False), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sso_provider_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_sso_provider'))
    )


def downgrade() -> None:
    op.drop_table('sso_provider')
    with op.batch_alter_table('sso_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_login_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_sso_login_created_at'))

    op.drop_table('sso_login')

"""Municipalities (the tenants of Kompas), their partner organisations, and the people who work
in them: accounts, memberships with a role, sign-in sessions, reset links and API tokens."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.choices import Choice, choice_type
from app.tables import RAISE, Versioned, utc_now


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True)
    # Every member signs in with a second factor, not only the beheerders.
    second_factor_required: bool = False


class OrganisationPublic(SQLModel):
    id: int
    name: str
    slug: str


class PartnerType(Choice):
    MUNICIPALITY = "municipality", "Gemeente"
    PROVIDER = "provider", "Aanbieder"
    RESIDENTS = "residents", "Inwoners / doelgroep"
    EDUCATION = "education", "Onderwijs"
    HEALTHCARE = "healthcare", "Zorg"
    SCIENCE = "science", "Kennisinstituut"
    OTHER = "other", "Overig"


class PartnerBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    partner_type: PartnerType = Field(sa_type=choice_type(PartnerType))
    description: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class Partner(PartnerBase, Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)


class PartnerCreate(PartnerBase):
    pass


class PartnerUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    partner_type: PartnerType | None = None
    description: str | None = Field(default=None, max_length=2000)


class PartnerPublic(PartnerBase):
    id: int
    version: int


class Role(Choice):
    ADMIN = "admin", "Beheerder"
    FACILITATOR = "facilitator", "Procesbegeleider"
    PARTNER = "partner", "Partner"
    READER = "reader", "Lezer"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utc_now)
    # Bumped when the password changes, so every session and reset link made before ends.
    password_changed_at: datetime = Field(default_factory=utc_now)

    memberships: list["Membership"] = Relationship(
        back_populates="user",
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all", "passive_deletes": True},
    )


class Membership(Versioned, table=True):
    """One person in one organisation, with one role; a partner member speaks for one partner."""

    __table_args__ = (
        sa.UniqueConstraint("user_id", "organisation_id"),
        sa.CheckConstraint(
            "(role = 'partner') = (partner_id IS NOT NULL)", name="partner_role_has_partner"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    role: Role = Field(sa_type=choice_type(Role))
    partner_id: int | None = Field(
        default=None, foreign_key="partner.id", ondelete="RESTRICT", index=True
    )

    user: User = Relationship(back_populates="memberships", sa_relationship_kwargs=RAISE)
    organisation: Organisation = Relationship(sa_relationship_kwargs=RAISE)
    partner: Partner | None = Relationship(sa_relationship_kwargs=RAISE)


class SignInMethod(Choice):
    PASSWORD = "password", "wachtwoord"
    PASSWORD_AND_CODE = "password_code", "wachtwoord en code"
    API_TOKEN = "api_token", "API-token"
    # Through the organisation's own identity provider (OpenID Connect), which does the MFA.
    SSO = "sso", "account van de eigen organisatie"


class SignInSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its keyed hash is stored.
    While `awaiting_code` the password was right but the code from the app is still to come:
    such a session opens nothing but the page that asks for it."""

    __tablename__ = "sign_in_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    method: SignInMethod = Field(default=SignInMethod.PASSWORD, sa_type=choice_type(SignInMethod))
    awaiting_code: bool = False
    created_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)


class SecondFactor(SQLModel, table=True):
    """A person's authenticator app (TOTP, RFC 6238). The key is kept encrypted
    (app/secret_hashing.py); `last_step` is the time step of the last code accepted, so that no
    code works twice. Until `confirmed_at` it is being set up and asked for by nobody."""

    __tablename__ = "second_factor"

    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    encrypted_key: str = Field(max_length=300)
    confirmed_at: datetime | None = None
    last_step: int = Field(default=0, sa_type=sa.BigInteger)


class RecoveryCode(SQLModel, table=True):
    """A one-time code for when the app is lost; only its keyed hash is stored."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    used_at: datetime | None = None


class SecondFactorAttempt(SQLModel, table=True):
    """A wrong code (or one still being checked), kept a while to slow down guessing."""

    __tablename__ = "second_factor_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    pending: bool = False


class SignInAttempt(SQLModel, table=True):
    """A failed sign-in, kept for a while to slow down password guessing; `pending` while its
    password is still being checked (app/throttle.py)."""

    __tablename__ = "sign_in_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    pending: bool = False


class PasswordReset(SQLModel, table=True):
    """A one-time link, made by a beheerder, with which someone sets a new password."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    created_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    used_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    """A personal token for the JSON API, acting for its owner in one organisation."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=12)  # shown in the list so people recognise their tokens
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utc_now)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class Invitation(SQLModel, table=True):
    """An invitation to join an organisation, made by a beheerder for an e-mail address.

    Nobody becomes a member without their own consent: the invited person opens the link and
    either creates their account or, if they already have one, signs in and accepts. The
    beheerder sees the same either way, so an invitation does not reveal who has an account.
    """

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)  # as the beheerder typed it
    role: Role = Field(sa_type=choice_type(Role))
    partner_id: int | None = Field(default=None, foreign_key="partner.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    accepted_at: datetime | None = None

    organisation: Organisation = Relationship(sa_relationship_kwargs=RAISE)
    partner: Partner | None = Relationship(sa_relationship_kwargs=RAISE)


class SsoProvider(SQLModel, table=True):
    """The organisation's own identity provider (OpenID Connect), with which its people sign
    in (app/organisations/sso.py). The client secret is not here: the operator keeps it in the
    environment variable or file named, so a copy of the database holds no credential."""

    __tablename__ = "sso_provider"

    organisation_id: int = Field(
        foreign_key="organisation.id", ondelete="CASCADE", primary_key=True
    )
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=255)
    secret_env: str | None = Field(default=None, max_length=100)
    secret_file: str | None = Field(default=None, max_length=500)
    # Who may join without an invitation: e-mail addresses of these domains.
    domains: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # The claim (a string or a list, e.g. "groups") whose values map to a role; the first
    # pair whose value the person has decides: [["kompas-beheer", "admin"], ...].
    role_claim: str = Field(default="groups", max_length=100)
    role_map: list[list[str]] = Field(default_factory=list, sa_type=sa.JSON)
    # The role of someone of an allowed domain whom no pair fits; None: they are refused.
    default_role: Role | None = Field(default=None, sa_type=choice_type(Role))
    # Members sign in only this way (not with a password).
    required: bool = False
    updated_at: datetime = Field(default_factory=utc_now)


class SsoLogin(SQLModel, table=True):
    """A sign-in at the identity provider under way: what the answer must match (state,
    nonce) and the PKCE verifier, kept in the database so that any server behind the load
    balancer can take the answer, and only once. The state is stored as a keyed hash, the
    verifier encrypted."""

    __tablename__ = "sso_login"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    nonce: str = Field(max_length=64)
    encrypted_verifier: str = Field(max_length=300)
    next_url: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utc_now, index=True)


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(Membership, "lidmaatschap", {"role": "Rol", "partner_id": "Partner"})
record_kinds.declare(
    Invitation,
    "uitnodiging",
    {"email": "E-mailadres", "invited_by_id": "Uitgenodigd door", "accepted_at": "Aangenomen op"},
)
# What sign-in events and settings in the log concern (app/audit/events.py).
record_kinds.declare(User, "account")
record_kinds.declare(
    Organisation, "organisatie", {"second_factor_required": "Tweestapsverificatie voor alle leden"}
)
record_kinds.declare("request", "verzoek")

"""Events in the audit log that are not a row being changed: signing in (and failing to),
the second factor, signing out, settings, and writes that were refused. Nothing secret is
written: no password, code, token or typed e-mail address of an unknown account."""

from typing import Any

from sqlmodel import Session, col, select

from app.audit import chain
from app.audit.models import AuditAction, AuditResult
from app.audit.recorder import SYSTEM, pseudonym
from app.db import writing
from app.organisations.models import Membership, User
from app.tables import utc_now

ACCOUNT = "user_account"
OPERATOR = "Kompas (beheerder van de installatie)"
COMMAND_LINE = "opdrachtregel"  # the origin of what the operator does with `kompas`


def record(
    session: Session,
    action: AuditAction,
    *,
    organisation_id: int | None,
    actor_id: int | None,
    origin: str | None,
    result: AuditResult = AuditResult.SUCCESS,
    entity: str = ACCOUNT,
    entity_id: int | None = None,
    label: str | None = None,
    actor_label: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An event, in the caller's transaction (it is kept only if that commits)."""
    chain.append(
        session.connection(),
        [
            {
                "at": utc_now(),
                "organisation_id": organisation_id,
                "theme_id": None,
                "cycle_id": None,
                "actor_id": actor_id,
                "actor_pseudonym": (pseudonym(actor_id) if actor_id else actor_label or SYSTEM),
                "action": action,
                "result": result,
                "origin": origin[:64] if origin else None,
                "entity": entity,
                "entity_id": entity_id,
                "label": (label or "")[:300],
                "before": before,
                "after": after,
            }
        ],
    )


def record_apart(session: Session, action: AuditAction, **details: Any) -> None:
    """An event in a write of its own: a failure or refusal, while the request keeps nothing."""
    with writing(session):
        record(session, action, **details)


def home_of(session: Session, user: User) -> int | None:
    """The organisation whose log holds a person's sign-ins: the one their session opens."""
    return session.exec(
        select(Membership.organisation_id)
        .where(Membership.user_id == user.id)
        .order_by(col(Membership.organisation_id))
    ).first()


def account_event(
    session: Session,
    action: AuditAction,
    user: User | None,
    origin: str,
    result: AuditResult = AuditResult.SUCCESS,
    *,
    apart: bool = False,
    organisation_id: int | None = None,
) -> None:
    """Something a person did with their own account (signing in, a code); an unknown account
    goes into the installation's log without what was typed."""
    (record_apart if apart else record)(
        session,
        action,
        organisation_id=organisation_id or (home_of(session, user) if user else None),
        actor_id=user.id if user else None,
        origin=origin,
        result=result,
        entity_id=user.id if user else None,
        label=pseudonym(user.id) if user and user.id else "onbekend account",
    )

"""Pages of the organisation: its partners, and (for beheerders) its members."""

import json

from fastapi import Request
from starlette.responses import Response

from app import mail
from app.audit import events
from app.audit.models import AuditAction
from app.audit.recorder import pseudonym
from app.auth import CurrentMember, client_address, require_manager
from app.choices import options_of
from app.db import SessionDep
from app.downloads import attachment
from app.errors import InvalidInput
from app.forms import FormDep, FormState
from app.ids import RecordId, record_id
from app.organisations import invitations, mails, second_factor
from app.organisations import members as members_service
from app.organisations import service as organisations_service
from app.organisations.models import Invitation, Role
from app.organisations.resources import PARTNERS_URL, partners
from app.resources import add_form_routes
from app.routing import SectionRouter
from app.templating import render, render_invalid_form, see_other

router = SectionRouter()
add_form_routes(router, partners)

MEMBER_LABELS = {
    "name": "Naam",
    "email": "E-mailadres",
    "role": "Rol",
    "partner_id": "Partnerorganisatie (alleen bij de rol partner)",
}
MEMBERS_URL = "/leden"
# A role by its value (mypy reads Role(value) as Choice.__new__(value, label)).
_ROLES = {r.value: r for r in Role}


@router.get(PARTNERS_URL, name="partners:page")
def partners_page(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    return render(
        request,
        "organisations/partners.html",
        {
            "partners": organisations_service.list_partners(session, member.organisation),
            "resource": partners,
            "form": partners.blank_form(),
            "next": PARTNERS_URL,
            "nav": "partners",
        },
    )


def _members_page(
    request: Request,
    session,
    member,
    state: FormState,
    *,
    status_code: int = 200,
    invited: tuple[Invitation, str] | None = None,
) -> Response:
    context = {
        "members": members_service.list_members(session, member.organisation),
        "invitations": invitations.open_invitations(session, member.organisation),
        "partners": organisations_service.list_partners(session, member.organisation),
        "form": state,
        "invited": invited,
        "mailed": mail.enabled(),
        "nav": "members",
    }
    if status_code != 200:
        return render_invalid_form(
            request,
            "organisations/members.html",
            context,
            form_id="new-member",
            status_code=status_code,
        )
    return render(request, "organisations/members.html", context)


def _blank_member_form() -> FormState:
    return FormState(id="new-member", labels=MEMBER_LABELS, values={"role": Role.READER.value})


@router.get(MEMBERS_URL, name="members:page")
def members_page(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    require_manager(member)
    return _members_page(request, session, member, _blank_member_form())


def _role_and_partner(form) -> tuple[Role, int | None]:
    role = _ROLES.get(form.get("role", ""))
    if role is None:
        raise InvalidInput({"role": "Kies een rol."})
    partner = form.get("partner_id", "")
    return role, record_id(partner, "partner_id") if partner else None


@router.post(MEMBERS_URL, name="members:add")
def invite_member(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    """Invite someone; the link is shown here, once, for the beheerder to pass on."""
    require_manager(member)
    try:
        role, partner_id = _role_and_partner(form)
        invited = invitations.invite(
            session,
            member.organisation,
            email=form.get("email", ""),
            name=form.get("name", ""),
            role=role,
            partner_id=partner_id,
            invited_by=member.user,
        )
    except InvalidInput as exc:
        state = FormState(
            id="new-member", labels=MEMBER_LABELS, values=dict(form), errors=exc.errors
        )
        return _members_page(request, session, member, state, status_code=422)
    session.commit()
    return _members_page(request, session, member, _blank_member_form(), invited=invited)


@router.post(
    f"{MEMBERS_URL}/uitnodigingen/{{invitation_id:int}}/intrekken", name="invitation:revoke"
)
def revoke_invitation(
    session: SessionDep, member: CurrentMember, invitation_id: RecordId
) -> Response:
    require_manager(member)
    invitations.revoke(session, member.organisation, invitation_id)
    session.commit()
    return see_other(f"{MEMBERS_URL}#uitnodigingen")


def _member_page(
    request,
    session,
    member,
    membership,
    state=None,
    *,
    link=None,
    second_factor_reset=False,
    status_code=200,
):
    state = state or FormState(
        id="member-role",
        labels=MEMBER_LABELS,
        values={"role": membership.role.value, "partner_id": str(membership.partner_id or "")},
    )
    context = {
        "subject": membership,
        "partners": organisations_service.list_partners(session, member.organisation),
        "form": state,
        "link": link,
        "mailed": mail.enabled(),
        "roles": options_of("Role"),
        "may_set_password": members_service.may_set_password_of(
            session, member.user, membership.user
        ),
        "second_factor_enrolled": second_factor.enrolled(session, membership.user),
        "second_factor_reset": second_factor_reset,
        "nav": "members",
    }
    if status_code != 200:
        return render_invalid_form(
            request,
            "organisations/member.html",
            context,
            form_id="member-role",
            status_code=status_code,
        )
    return render(request, "organisations/member.html", context)


@router.get(f"{MEMBERS_URL}/{{membership_id:int}}", name="member:page")
def member_page(
    request: Request, session: SessionDep, member: CurrentMember, membership_id: RecordId
) -> Response:
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    return _member_page(request, session, member, membership)


@router.post(f"{MEMBERS_URL}/{{membership_id:int}}", name="member:update")
def change_role(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    membership_id: RecordId,
    form: FormDep,
) -> Response:
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    try:
        role, partner_id = _role_and_partner(form)
        members_service.change_role(session, membership, role, partner_id)
    except InvalidInput as exc:
        state = FormState(
            id="member-role", labels=MEMBER_LABELS, values=dict(form), errors=exc.errors
        )
        return _member_page(request, session, member, membership, state, status_code=422)
    session.commit()
    return see_other(f"{MEMBERS_URL}/{membership_id}")


@router.post(f"{MEMBERS_URL}/{{membership_id:int}}/wachtwoordlink", name="member:reset-link")
def reset_link(
    request: Request, session: SessionDep, member: CurrentMember, membership_id: RecordId
) -> Response:
    """A one-time link with which this person sets a new password; shown to the beheerder."""
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    token = members_service.create_reset_for(session, member.user, membership.user)
    mails.password_link(session, membership.user, token, member.organisation, member.user)
    session.commit()
    return _member_page(request, session, member, membership, link=token)


@router.post(
    f"{MEMBERS_URL}/{{membership_id:int}}/tweestapsverificatie",
    name="member:reset-second-factor",
)
def reset_second_factor(
    request: Request, session: SessionDep, member: CurrentMember, membership_id: RecordId
) -> Response:
    """The person lost their app: they set up a new one at their next sign-in."""
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    members_service.reset_second_factor_for(session, member.user, membership.user)
    events.record(
        session,
        AuditAction.SECOND_FACTOR_RESET,
        organisation_id=member.organisation.id,
        actor_id=member.user.id,
        origin=client_address(request),
        entity_id=membership.user_id,
        label=pseudonym(membership.user_id),
    )
    session.commit()
    return _member_page(request, session, member, membership, second_factor_reset=True)


@router.post(f"{MEMBERS_URL}/tweestapsverificatie", name="members:second-factor")
def second_factor_setting(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    require_manager(member)
    before = member.organisation.second_factor_required
    organisations_service.require_second_factor(session, member.organisation, "required" in form)
    events.record(
        session,
        AuditAction.SETTING,
        organisation_id=member.organisation.id,
        actor_id=member.user.id,
        origin=client_address(request),
        entity="organisation",
        entity_id=member.organisation.id,
        label="Tweestapsverificatie verplicht voor alle leden",
        before={"second_factor_required": before},
        after={"second_factor_required": "required" in form},
    )
    session.commit()
    return see_other(f"{MEMBERS_URL}#tweestapsverificatie")


@router.get(f"{MEMBERS_URL}/{{membership_id:int}}/gegevens.json", name="member:export")
def export_personal_data(
    session: SessionDep, member: CurrentMember, membership_id: RecordId
) -> Response:
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    data = members_service.personal_data(session, member.organisation, membership.user)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers=attachment(f"persoonsgegevens-{membership.user.name}.json"),
    )


@router.post(f"{MEMBERS_URL}/{{membership_id:int}}/verwijderen", name="member:remove")
def remove_member(session: SessionDep, member: CurrentMember, membership_id: RecordId) -> Response:
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    members_service.remove_member(session, membership)
    session.commit()
    return see_other(MEMBERS_URL)


@router.post(f"{MEMBERS_URL}/{{membership_id:int}}/wissen", name="member:erase")
def erase_person(session: SessionDep, member: CurrentMember, membership_id: RecordId) -> Response:
    """Erase the person and their account; the audit log keeps a pseudonym."""
    require_manager(member)
    membership = members_service.get_membership(session, member.organisation, membership_id)
    members_service.erase_user(session, member.organisation, membership.user)
    session.commit()
    return see_other(MEMBERS_URL)

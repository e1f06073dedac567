"""Who may do what. Every member reads everything of their organisation; writing depends on
the role:

- beheerder: manages members, partners and themes, and may do all a procesbegeleider does;
- procesbegeleider: runs the cycles and edits everything in the organisation's themes;
- partner: edits the activities of their own partner organisation, their input kwaliteit and
  the measurements of their indicators (creating and removing activities is for the cycle's
  procesbegeleider);
- lezer: reads, changes nothing.
"""

from dataclasses import dataclass

from app.errors import Forbidden
from app.organisations.models import Membership, Organisation, Role, User


@dataclass(frozen=True)
class Member:
    """The person making a request, in the organisation they are working in."""

    user: User
    membership: Membership

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def role(self) -> Role:
        return self.membership.role

    @property
    def manages(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def runs_cycles(self) -> bool:
        return self.role in (Role.ADMIN, Role.FACILITATOR)

    def works_for(self, partner_id: int | None) -> bool:
        """May edit the work of this partner organisation (its activities, quality, figures)."""
        if self.runs_cycles:
            return True
        return (
            self.role is Role.PARTNER
            and partner_id is not None
            and partner_id == self.membership.partner_id
        )


def _role_name(member: Member) -> str:
    return member.role.label.lower()


def require_manager(member: Member) -> None:
    if not member.manages:
        raise Forbidden(
            f"Alleen een beheerder mag dit wijzigen. Jouw rol in {member.organisation.name} is "
            f"{_role_name(member)}."
        )


def require_cycle_runner(member: Member) -> None:
    if not member.runs_cycles:
        raise Forbidden(
            "Alleen een procesbegeleider of beheerder mag dit wijzigen. Jouw rol in "
            f"{member.organisation.name} is {_role_name(member)}."
        )


def require_partner_work(member: Member, partner_id: int | None) -> None:
    if member.works_for(partner_id):
        return
    if member.role is Role.PARTNER:
        partner = member.membership.partner
        whose = partner.name if partner else "je eigen organisatie"
        raise Forbidden(
            f"Als partner mag je alleen het werk van {whose} wijzigen: activiteiten, hun input "
            "kwaliteit en hun metingen."
        )
    require_cycle_runner(member)

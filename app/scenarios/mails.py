"""A notice to the partners an adopted budget scenario touches: what it means for them."""

from sqlmodel import Session

from app import mail
from app.formatting import format_euro
from app.organisations.mails import to_partner_members
from app.organisations.models import Organisation
from app.scenarios.consequences import Outcome
from app.scenarios.models import Scenario


def adopted(
    session: Session,
    organisation: Organisation,
    scenario: Scenario,
    outcome: Outcome,
    partner_ids: set[int],
) -> int:
    """To each account of a partner with an activity in the scenario; returns how many. The
    amounts are the partner's own line, which is what a partner may read of it."""

    def their_part(partner) -> dict[str, str]:
        rows = [row for row in outcome.activities if row.partner == partner.name]
        return {
            "scenario": scenario.name,
            "adopted_by": scenario.adopted_by or "",
            "before": format_euro(round(sum(row.before for row in rows))),
            "after": format_euro(round(sum(row.after for row in rows))),
            "activities": str(len(rows)),
            "read": mail.url(f"/scenarios/{scenario.id}"),  # resources.SCENARIOS_URL
        }

    return to_partner_members(session, organisation, partner_ids, "scenario_adopted", their_part)

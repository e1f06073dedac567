"""How partner organisations are found and changed through the web."""

from app.auth import require_manager
from app.organisations import service as organisations_service
from app.organisations.models import Partner, PartnerCreate, PartnerPublic, PartnerUpdate
from app.resources import Resource


def managers_only(session, member, action, parent, item, data) -> None:
    require_manager(member)


PARTNERS_URL = "/partners"

partners = Resource(
    name="partner",
    plural="partners",
    api_name="Partner",
    label="partner",
    path="partners",
    model=Partner,
    parent=None,
    write=PartnerCreate,
    patch=PartnerUpdate,
    public=PartnerPublic,
    get=organisations_service.get_partner,
    parent_of=lambda session, organisation, partner: organisation,
    list=organisations_service.list_partners,
    create=organisations_service.create_partner,
    update=organisations_service.update_partner,
    delete=organisations_service.delete_partner,
    permission=managers_only,
    fields_template="organisations/_partner_fields.html",
    title=lambda partner: partner.name,
    return_to=lambda organisation, partner: (
        f"{PARTNERS_URL}#partner-{partner.id}" if partner else PARTNERS_URL
    ),
    labels={"name": "Naam", "partner_type": "Soort organisatie", "description": "Omschrijving"},
)

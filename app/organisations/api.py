"""JSON API for the organisation and its partner organisations."""

from fastapi import APIRouter

from app.organisations.deps import CurrentOrganisation
from app.organisations.models import Organisation, OrganisationPublic
from app.organisations.resources import partners
from app.resources import add_api_routes

router = APIRouter()
add_api_routes(router, partners)


@router.get(
    "/organisation",
    response_model=OrganisationPublic,
    tags=["organisation"],
    name="api:organisation:read",
)
def read_organisation(organisation: CurrentOrganisation) -> Organisation:
    """The organisation this request works in."""
    return organisation

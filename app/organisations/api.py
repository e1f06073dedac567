"""JSON API for the organisation and its partner organisations."""

from fastapi import APIRouter

from app.api_conventions import ApiRoute
from app.api_names import api_output
from app.auth import CurrentOrganisation
from app.organisations.models import Organisation, OrganisationPublic
from app.organisations.resources import partners
from app.resources import add_api_routes

router = APIRouter(route_class=ApiRoute)
OrganisationOut = api_output(OrganisationPublic, "Organisatie")
add_api_routes(router, partners)


@router.get(
    "/organisatie",
    response_model=OrganisationOut,
    tags=["organisatie"],
    name="api:organisation:read",
    operation_id="organisatieLezen",
    summary="De organisatie waarin dit verzoek werkt",
)
def read_organisation(organisation: CurrentOrganisation) -> Organisation:
    return organisation

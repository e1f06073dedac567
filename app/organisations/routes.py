"""The partner organisations of the municipality."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.db import SessionDep
from app.organisations import service as organisations_service
from app.organisations.deps import CurrentOrganisation
from app.organisations.resources import PARTNERS_URL, partners
from app.resources import add_form_routes
from app.templating import render

router = APIRouter()
add_form_routes(router, partners)


@router.get(PARTNERS_URL, name="partners:page")
def partners_page(
    request: Request, session: SessionDep, organisation: CurrentOrganisation
) -> Response:
    return render(
        request,
        "organisations/partners.html",
        {
            "partners": organisations_service.list_partners(session, organisation),
            "resource": partners,
            "form": partners.blank_form(),
            "next": PARTNERS_URL,
            "nav": "partners",
        },
    )

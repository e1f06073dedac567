"""The organisation a request works in."""

from typing import Annotated

from fastapi import Depends, Request

from app.db import SessionDep
from app.organisations import service as organisations_service
from app.organisations.models import Organisation


def current_organisation(request: Request, session: SessionDep) -> Organisation:
    """Until people sign in, the installation serves its first organisation."""
    organisation = organisations_service.get_default(session)
    request.state.organisation = organisation
    return organisation


CurrentOrganisation = Annotated[Organisation, Depends(current_organisation)]

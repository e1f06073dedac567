"""/.well-known/security.txt (RFC 9116): where to report a vulnerability in this installation.

The contact is the operator's (`KOMPAS_SECURITY_CONTACT`: an e-mail address or an https://
page); without one there is no file (404) rather than a file that sends reports nowhere.
`Expires` is computed on each request, EXPIRES_DAYS ahead: the RFC asks for a date less than a
year away, and a fixed date in a file would rot. How the project itself handles reports is in
SECURITY.md.
"""

from datetime import timedelta

from fastapi import Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException

from app.config import settings
from app.routing import SectionRouter
from app.tables import utc_now

PATH = "/.well-known/security.txt"
EXPIRES_DAYS = 180

router = SectionRouter()


def contact_uri(contact: str) -> str:
    return contact if contact.startswith("https://") else f"mailto:{contact}"


@router.get(PATH, include_in_schema=False)
async def security_txt(request: Request) -> PlainTextResponse:
    if settings.security_contact is None:
        raise HTTPException(404)
    expires = (utc_now() + timedelta(days=EXPIRES_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {contact_uri(settings.security_contact)}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: https://{request.url.netloc}{PATH}",
    ]
    return PlainTextResponse("\n".join(lines) + "\n")

"""Errors of the JSON API as problem details (RFC 9457, `application/problem+json`), as the
NL API Design Rules ask: a Dutch title and detail, and per rejected field its name, a code and
the same Dutch message a form shows next to the field (`invalidParams`)."""

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

MEDIA_TYPE = "application/problem+json"


class InvalidParam(BaseModel):
    name: str = Field(description="Het veld, met punten voor geneste velden.", examples=["naam"])
    code: str = Field(description="Soort fout.", examples=["missing"])
    reason: str = Field(
        description="Wat er mis is, in het Nederlands.", examples=["Vul dit veld in."]
    )


class Problem(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(default="about:blank", description="Soort probleem (RFC 9457).")
    title: str = Field(description="Korte omschrijving.", examples=["Controleer de invoer"])
    status: int = Field(description="De HTTP-statuscode.", examples=[400])
    detail: str | None = Field(default=None, description="Uitleg voor dit geval.")
    instance: str | None = Field(default=None, description="Het pad van het verzoek.")
    invalid_params: list[InvalidParam] | None = Field(
        default=None, alias="invalidParams", description="De afgewezen velden."
    )


DESCRIPTIONS = {
    400: "De invoer klopt niet (per veld in invalidParams wat er mis is, ook onbekende "
    "velden), of de inhoud is geen JSON.",
    401: "Geen (geldig) API-token meegegeven.",
    403: "Deze rol mag dit niet.",
    404: "Bestaat niet, of hoort bij een andere organisatie.",
    406: "Accept vraagt iets anders dan JSON.",
    409: "Botst met wat er is: cyclus afgesloten, naam bezet of tegelijk gewijzigd.",
    412: "If-Match noemt een oudere versie dan de opgeslagen.",
    415: "De inhoud is geen JSON (Content-Type).",
    428: "Zonder If-Match: zegt niet op welke versie de wijziging is gebaseerd.",
}
WRITES_ONLY = (412, 415, 428)  # a read has no body and no precondition
RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "model": Problem, "content": {MEDIA_TYPE: {}}}
    for status, text in DESCRIPTIONS.items()
}


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str | None = None,
    *,
    invalid: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=title, status=status, detail=detail, instance=request.url.path, invalid_params=invalid
    )
    return JSONResponse(
        body.model_dump(by_alias=True, exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )

"""Typed domain errors. Services raise these; one handler per audience (page, API) renders them."""

from collections.abc import Mapping


class AppError(Exception):
    status_code = 500
    title = "Er ging iets mis"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    status_code = 404
    title = "Niet gevonden"


class Forbidden(AppError):
    status_code = 403
    title = "Geen toegang"


class Conflict(AppError):
    status_code = 409
    title = "Dat kan nu niet"


class PreconditionRequired(AppError):
    """A write that does not say which version it was based on (HTTP 428)."""

    status_code = 428
    title = "Laad de pagina opnieuw"


class CycleClosed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "Deze cyclus is afgesloten: je kunt hem nog lezen, maar niet meer wijzigen."
        )


class InvalidInput(AppError):
    """Input that is well-formed but breaks a domain rule; messages are keyed by field name."""

    status_code = 422
    title = "Controleer de invoer"

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


class Duplicate(InvalidInput):
    """A name (or date) that is already taken: the field says which, with HTTP 409."""

    status_code = 409
    title = "Bestaat al"


class PreconditionFailed(AppError):
    """A write based on a version that is no longer the stored one (HTTP 412)."""

    status_code = 412
    title = "Intussen gewijzigd"


class Unreadable(AppError):
    """A request body that is no JSON, or no text at all (HTTP 400)."""

    status_code = 400
    title = "Verzoek niet leesbaar"

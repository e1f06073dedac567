"""Rendering pages and their fragments. The only module that reads or writes HX-* headers.

One URL serves both the full page and its parts. An htmx request that targets an element by id
(`hx-target="#results-section"`) gets just the template block of the same name
(`results_section`) when the page defines one, otherwise the full page; `hx-select` on the
element picks its part either way. Boosted navigation and history restores always get the page.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import Response

from app import formatting
from app.choices import options_of
from app.config import ROOT, settings
from app.cycles.steps import STEP_OPTIONS, STEPS
from app.static_files import static_url


def _request_context(request: Request) -> dict[str, Any]:
    """What every page needs: who is asking, in which organisation, and the token their forms
    carry against cross-site requests (all set by the sign-in dependency)."""
    state = request.state
    return {
        "member": getattr(state, "member", None),
        "organisation": getattr(state, "organisation", None),
        "csrf_token": getattr(state, "csrf_token", None),
        "memberships": getattr(state, "memberships", ()),
    }


templates = Jinja2Blocks(directory=ROOT / "templates", context_processors=[_request_context])
# Outside development, templates do not change while the app runs: skip the check per include.
templates.env.auto_reload = settings.environment == "development"


def _options(items: Any, label: str) -> list[tuple[str, str]]:
    """Records as (id, label) pairs for a select field."""
    return [(str(item.id), str(getattr(item, label))) for item in items]


templates.env.filters.update(
    options=_options,
    date=formatting.format_date,
    datetime=formatting.format_datetime,
    number=formatting.format_number,
    quantity=formatting.format_quantity,
    euro=formatting.format_euro,
    size=formatting.format_size,
    mark_after=formatting.mark_after,
)
templates.env.globals.update(
    STEPS=STEPS, STEP_OPTIONS=STEP_OPTIONS, choices=options_of, static_url=static_url
)


class _PathBuilder:
    """`url(name, **ids)` for templates: the app's own route lookup, done once per route.

    Looking a route up walks every route of the app; a page with hundreds of records asks for
    thousands of links, so each route's path is looked up once, with marker ids, and then
    filled in with plain string formatting.
    """

    def __init__(self, router: Any) -> None:
        self._router = router
        self._templates: dict[tuple[str, tuple[str, ...]], str] = {}

    def __call__(self, name: str, **params: int) -> str:
        key = (name, tuple(sorted(params)))
        template = self._templates.get(key)
        if template is None:
            markers = {param: 7_000_000_001 + n for n, param in enumerate(key[1])}
            template = str(self._router.url_path_for(name, **markers))
            for param, marker in markers.items():
                template = template.replace(str(marker), "{" + param + "}")
            self._templates[key] = template
        return template.format(**params)


def use_router(router: Any) -> None:
    """Templates build links with `url(name, **params)`, from the app's own routes."""
    templates.env.globals["url"] = _PathBuilder(router)


def load_templates() -> None:
    """Compile every template now, at start-up. Otherwise each app process compiles a page's
    templates on its first request for it, and that person waits a few hundred milliseconds."""
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)


def _is_partial(request: Request) -> bool:
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def inline_section(request: Request) -> str | None:
    """The section of the page an inline form refreshes (`?sectie=`), when htmx brings the form
    into that page. A form opened on a page of its own (a new tab, no JavaScript) has no such
    section to refresh, and posts as a plain form."""
    return request.query_params.get("sectie") if _is_partial(request) else None


def _block_for(request: Request, name: str, block: str | None) -> str | None:
    if not _is_partial(request):
        return None
    if block is None:
        block = request.headers.get("HX-Target", "").replace("-", "_")
    return block if block in templates.get_template(name).blocks else None


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    block: str | None = None,
) -> Response:
    """The page, or only the block that the htmx request targets (or `block` names)."""
    response = templates.TemplateResponse(
        request,
        name,
        dict(context),
        status_code=status_code,
        block_name=_block_for(request, name, block),
    )
    response.headers.append("Vary", "HX-Request, HX-Target")
    return response


def render_invalid_form(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    form_id: str,
    status_code: int = 422,
) -> Response:
    """The form re-rendered with its messages (422, or 409 for a stale form); htmx swaps it
    over the form that was sent.

    The template renders the form, with `id=form_id`, inside a block called `form`.
    """
    response = render(request, name, context, status_code=status_code, block="form")
    if _is_partial(request):
        response.headers["HX-Retarget"] = f"#{form_id}"
        response.headers["HX-Reselect"] = f"#{form_id}"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def see_other(url: str) -> RedirectResponse:
    """Post/redirect/get. htmx follows the redirect itself and swaps what the form targets."""
    return RedirectResponse(url, status_code=303)


def render_error(
    request: Request, status: int, context: dict[str, Any], headers: dict | None = None
) -> Response:
    """The error page; a failed in-page action shows its message in the status region
    instead of over the page."""
    response = render(request, "error.html", context, status_code=status, block="error")
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true":
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    response.headers.update(headers or {})
    return response


def to_sign_in(request: Request, target: str) -> Response:
    """Off to the sign-in page: an htmx request is told to load it as a whole page."""
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)

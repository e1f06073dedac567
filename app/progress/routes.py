"""The overview of themes, a theme's cycles, and the cycle page with its six steps."""

from fastapi import Request
from starlette.responses import Response

from app.ambitions import service as ambitions_service
from app.auth import CurrentMember, CurrentOrganisation
from app.cycles import service as cycles_service
from app.cycles.resources import cycles, themes
from app.db import SessionDep
from app.ids import RecordId
from app.progress import service as progress_service
from app.progress.wheel import SEGMENTS
from app.routing import SectionRouter
from app.scenarios import service as scenarios_service
from app.templating import render

router = SectionRouter()


@router.get("/", name="overview")
def overview(request: Request, session: SessionDep, organisation: CurrentOrganisation) -> Response:
    theme_list = cycles_service.list_themes(session, organisation)
    all_cycles = [cycle for theme in theme_list for cycle in theme.cycles]
    return render(
        request,
        "progress/overview.html",
        {
            "themes": theme_list,
            "progress": progress_service.progress(session, all_cycles),
            "resource": themes,
            "form": themes.blank_form(),
            "nav": "themes",
        },
    )


@router.get("/themas/{theme_id:int}", name="theme:page")
def theme_page(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, theme_id: RecordId
) -> Response:
    theme = cycles_service.get_theme(session, organisation, theme_id)
    return render(
        request,
        "progress/theme.html",
        {
            "theme": theme,
            "cycles": sorted(theme.cycles, key=lambda c: c.start_year, reverse=True),
            "active": cycles_service.active_cycle(theme),
            "progress": progress_service.progress(session, theme.cycles),
            "table": ambitions_service.perspectives_at_table(
                session,
                [c.id for c in theme.cycles if c.id is not None],  # all stored
            ),
            "resource": cycles,
            "form": cycles.blank_form(theme.id),
            "nav": "themes",
        },
    )


@router.get("/cycli/{cycle_id:int}", name="cycle:page")
def cycle_page(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    return render(
        request,
        "progress/cycle.html",
        {
            "cycle": cycle,
            "progress": progress_service.progress(session, [cycle])[cycle_id],
            "segments": SEGMENTS,
            "budget_decisions": [
                (
                    scenario,
                    scenarios_service.as_seen_by(
                        member, scenarios_service.outcome(session, scenario)
                    ),
                )
                for scenario in scenarios_service.adopted_for_cycle(session, cycle)
            ],
            "own": scenarios_service.own_part(member),
            "nav": "themes",
        },
    )

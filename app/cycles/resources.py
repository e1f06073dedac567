"""How themes, cycles and the monitoring picture are found and changed through the web."""

from app.cycles import service as cycles_service
from app.cycles.models import (
    Cycle,
    CycleCreate,
    CyclePublic,
    CycleUpdate,
    MonitoringItem,
    MonitoringItemCreate,
    MonitoringItemPublic,
    MonitoringItemUpdate,
    Theme,
    ThemeCreate,
    ThemePublic,
    ThemeUpdate,
)
from app.cycles.steps import cycle_url, step_url
from app.organisations.resources import managers_only
from app.resources import Parent, Resource

THEME_PARENT = Parent(name="theme", plural="themas", path="themas", get=cycles_service.get_theme)
CYCLE_PARENT = Parent(name="cycle", plural="cycli", path="cycli", get=cycles_service.get_cycle)


def theme_url(theme_id: int | None) -> str:
    return f"/themas/{theme_id}"


themes = Resource(
    name="theme",
    plural="themas",
    api_name="Thema",
    label="thema",
    path="themas",
    model=Theme,
    parent=None,
    write=ThemeCreate,
    patch=ThemeUpdate,
    public=ThemePublic,
    get=cycles_service.get_theme,
    parent_of=lambda session, organisation, theme: organisation,
    list=cycles_service.list_themes,
    create=cycles_service.create_theme,
    update=cycles_service.update_theme,
    delete=cycles_service.delete_theme,
    permission=managers_only,
    fields_template="cycles/_theme_fields.html",
    title=lambda theme: theme.name,
    return_to=lambda organisation, theme: theme_url(theme.id) if theme else "/",
    labels={"name": "Naam", "description": "Omschrijving"},
    delete_warning=(
        "Alle cycli van dit thema worden ook verwijderd, met alles wat daarin is vastgelegd."
    ),
)


def _cycle_title(cycle: Cycle) -> str:
    return f"Cyclus {cycle.period}"


cycles = Resource(
    name="cycle",
    plural="cycli",
    api_name="Cyclus",
    label="cyclus",
    path="cycli",
    model=Cycle,
    parent=THEME_PARENT,
    write=CycleCreate,
    patch=CycleUpdate,
    public=CyclePublic,
    get=cycles_service.get_cycle,
    parent_of=lambda session, organisation, cycle: cycles_service.get_theme(
        session, organisation, cycle.theme_id
    ),
    list=cycles_service.list_cycles,
    create=cycles_service.create_cycle,
    update=cycles_service.update_cycle,
    delete=cycles_service.delete_cycle,
    fields_template="cycles/_cycle_fields.html",
    title=_cycle_title,
    return_to=lambda theme, cycle: cycle_url(cycle.id) if cycle else theme_url(theme.id),
    context=lambda session, organisation, theme: {"theme": theme},
    labels={
        "start_year": "Beginjaar",
        "end_year": "Eindjaar",
        "horizon_years": "Horizon van de resultaten",
        "current_step": "Huidige stap",
    },
    delete_warning=(
        "Alles wat in deze cyclus is vastgelegd wordt ook verwijderd. Was er een vorige cyclus, "
        "dan wordt die weer de lopende cyclus."
    ),
)


def _monitoring_parent(session, organisation, item: MonitoringItem) -> Cycle:
    return cycles_service.get_cycle(session, organisation, item.cycle_id)


monitoring_items = Resource(
    name="monitoring_item",
    plural="monitoringitems",
    api_name="Monitoringitem",
    label="onderdeel van het monitoringsbeeld",
    path="monitoring",
    model=MonitoringItem,
    parent=CYCLE_PARENT,
    write=MonitoringItemCreate,
    patch=MonitoringItemUpdate,
    public=MonitoringItemPublic,
    get=cycles_service.get_monitoring_item,
    parent_of=_monitoring_parent,
    list=cycles_service.list_monitoring_items,
    create=cycles_service.create_monitoring_item,
    update=cycles_service.update_monitoring_item,
    delete=cycles_service.delete_monitoring_item,
    fields_template="cycles/_monitoring_item_fields.html",
    title=lambda item: item.title,
    return_to=lambda cycle, item: step_url(
        cycle.id, 1, f"monitoring-{item.id}" if item else "monitoring-section"
    ),
    context=lambda session, organisation, cycle: {"cycle": cycle},
    labels={
        "kind": "Soort",
        "title": "Titel",
        "figure": "Cijfer",
        "source": "Bron",
        "interpretation": "Duiding",
    },
    step=1,
)

"""How begrippen and the people at the table are found and changed through the web."""

from app.ambitions import service as ambitions_service
from app.ambitions.models import (
    TableMember,
    TableMemberCreate,
    TableMemberPublic,
    TableMemberUpdate,
    Term,
    TermCreate,
    TermPublic,
    TermUpdate,
)
from app.cycles import service as cycles_service
from app.cycles.resources import CYCLE_PARENT
from app.cycles.steps import step_url
from app.resources import Resource

terms = Resource(
    name="term",
    plural="begrippen",
    api_name="Begrip",
    label="begrip",
    path="begrippen",
    model=Term,
    parent=CYCLE_PARENT,
    write=TermCreate,
    patch=TermUpdate,
    public=TermPublic,
    get=ambitions_service.get_term,
    parent_of=lambda session, organisation, term: cycles_service.get_cycle(
        session, organisation, term.cycle_id
    ),
    list=ambitions_service.list_terms,
    create=ambitions_service.create_term,
    update=ambitions_service.update_term,
    delete=ambitions_service.delete_term,
    fields_template="ambitions/_term_fields.html",
    title=lambda term: term.term,
    return_to=lambda cycle, term: step_url(
        cycle.id, 0, f"begrip-{term.id}" if term else "terms-section"
    ),
    context=lambda session, organisation, cycle: {"cycle": cycle},
    labels={
        "term": "Begrip",
        "meaning_municipality": "Betekenis voor de gemeente",
        "meaning_provider": "Betekenis voor aanbieders",
        "meaning_resident": "Betekenis voor inwoners",
        "agreed_definition": "Afgesproken definitie",
    },
    step=0,
)

table_members = Resource(
    name="table_member",
    plural="tafelleden",
    api_name="Tafellid",
    label="deelnemer aan tafel",
    path="aan-tafel",
    model=TableMember,
    parent=CYCLE_PARENT,
    write=TableMemberCreate,
    patch=TableMemberUpdate,
    public=TableMemberPublic,
    get=ambitions_service.get_table_member,
    parent_of=lambda session, organisation, member: cycles_service.get_cycle(
        session, organisation, member.cycle_id
    ),
    list=ambitions_service.list_table,
    create=ambitions_service.create_table_member,
    update=ambitions_service.update_table_member,
    delete=ambitions_service.delete_table_member,
    fields_template="ambitions/_table_member_fields.html",
    title=lambda member: member.name,
    return_to=lambda cycle, member: step_url(
        cycle.id, 0, f"aan-tafel-{member.id}" if member else "table-section"
    ),
    context=lambda session, organisation, cycle: {"cycle": cycle},
    labels={
        "name": "Naam",
        "organisation": "Organisatie",
        "perspective": "Perspectief",
        "interest": "Belang",
        "mandate": "Mandaat",
    },
    step=0,
)

"""The ambition with its drafts, and the begrippen."""

import pytest

from app.ambitions import service as ambitions_service
from app.ambitions.models import Adopter, AmbitionStatus, AmbitionWrite, TermCreate
from app.errors import InvalidInput
from app.tables import utc_now
from tests import factories


class TestAmbition:
    def test_rewording_keeps_the_earlier_text_as_a_draft(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_ambition(session, cycle, "Eerste versie.")
        factories.make_ambition(session, cycle, "Tweede versie.")
        ambition = factories.make_ambition(session, cycle, "Derde versie.")
        session.expire_all()
        ambition = ambitions_service.get_ambition(session, cycle)
        assert ambition.text == "Derde versie."
        assert [d.text for d in ambition.drafts] == ["Tweede versie.", "Eerste versie."]

    def test_saving_the_same_text_adds_no_draft(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_ambition(session, cycle, "Zelfde.")
        ambitions_service.save_ambition(
            session,
            cycle,
            AmbitionWrite(text="Zelfde.", status=AmbitionStatus.AGREED, adopted_by=Adopter.COUNCIL),
        )
        session.expire_all()
        ambition = ambitions_service.get_ambition(session, cycle)
        assert ambition.drafts == []
        assert ambition.status is AmbitionStatus.AGREED
        assert ambition.agreed_on == utc_now().date()

    def test_restoring_a_draft_makes_it_the_concept_again(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_ambition(session, cycle, "Oud.")
        factories.make_ambition(session, cycle, "Nieuw.")
        session.expire_all()
        draft = ambitions_service.get_ambition(session, cycle).drafts[0]
        ambitions_service.restore_draft(session, draft)
        session.expire_all()
        ambition = ambitions_service.get_ambition(session, cycle)
        assert ambition.text == "Oud."
        assert ambition.status is AmbitionStatus.DRAFT
        assert "Nieuw." in [d.text for d in ambition.drafts]


class TestTerms:
    def test_a_term_appears_once_per_cycle(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_term(session, cycle, "Preventie")
        with pytest.raises(InvalidInput) as caught:
            ambitions_service.create_term(session, cycle, TermCreate(term="preventie"))
        assert caught.value.errors == {"term": "Dit begrip staat al in de lijst."}

    def test_terms_are_listed_alphabetically(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        for term in ("Zelfredzaamheid", "eigen netwerk", "Preventie"):
            factories.make_term(session, cycle, term)
        listed = [t.term for t in ambitions_service.list_terms(session, cycle)]
        assert listed == ["eigen netwerk", "Preventie", "Zelfredzaamheid"]

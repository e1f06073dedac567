"""Theme werk: the one theme whose ambition the Kampen case names; everything else is invented."""

from datetime import date

from app.activities.models import ActivityStatus, Contribution, EvidenceLevel, QualityCategory
from app.ambitions.models import AmbitionStatus
from app.choices import Perspective
from app.cycles.models import MonitoringKind, StepStatus
from app.demo.content import (
    DemoAction,
    DemoActivity,
    DemoIndicator,
    DemoLink,
    DemoMeasurement,
    DemoReflection,
    DemoResult,
    DemoResultDecision,
    DemoStory,
    DemoTableMember,
    DemoTerm,
    DemoTheme,
)
from app.improvement.models import Decision, ResultDecisionKind
from app.results.models import Direction, RbaQuestion, ResultType

WERK = DemoTheme(
    name="Werk",
    description="Meedoen naar vermogen en duurzaam in eigen inkomen voorzien.",
    start_year=2019,
    end_year=2022,
    current_step=6,
    ambition=(
        "De beroepsbevolking van Kampen kan participeren naar eigen vermogen en duurzaam in "
        "eigen inkomen voorzien."
    ),
    ambition_status=AmbitionStatus.FORMULATED,
    ambition_on=date(2019, 2, 14),
    ambition_origin="werksessie 1, 14 februari 2019",
    ambition_drafts=(
        "Meer inwoners van Kampen vinden werk en blijven aan het werk.",
        "Iedereen in Kampen die kan werken, werkt; wie dat niet kan, doet mee naar vermogen.",
    ),
    monitoring=(
        (
            MonitoringKind.FIGURE,
            "Netto arbeidsparticipatie",
            "66,1% (2019)",
            "CBS / waarstaatjegemeente.nl (BBV 24)",
            "Iets onder het landelijk gemiddelde; vooral vrouwen 55+ werken minder vaak.",
        ),
        (
            MonitoringKind.FIGURE,
            "Personen met een bijstandsuitkering per 10.000 inwoners 18+",
            "372 (2019)",
            "CBS (BBV 27)",
            "Daalt langzaam, maar een vaste groep stroomt telkens opnieuw in.",
        ),
        (
            MonitoringKind.FIGURE,
            "Uitgestroomd naar werk, binnen 12 maanden terug in de bijstand",
            "31% (2018)",
            "Eigen registratie Werk & Inkomen",
            "Bijna een op de drie mensen die uitstroomt, valt binnen een jaar terug.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Thuis loopt het vast na de eerste werkweek",
            None,
            "Maatschappelijk werkers De Kern",
            "Kinderopvang, boodschappen en administratie zijn niet geregeld als iemand gaat "
            "werken; dat is vaak de reden van uitval, niet het werk zelf.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Klantmanagers en sociaal werkers kennen elkaar niet",
            None,
            "Sessie 1, februari 2019",
            "Re-integratie werkt vanuit financiële en wettelijke kaders, sociaal werk vanuit "
            "participatie: hetzelfde doel, een andere taal.",
        ),
    ),
    terms=(
        DemoTerm(
            "Preventie",
            "Voorkomen dat inwoners een dure maatwerkvoorziening of uitkering nodig hebben.",
            "Voorkomen dat problemen groter worden: eenzaamheid, schulden, overbelasting.",
            "Op tijd hulp krijgen, voordat het misgaat.",
            "Eerder en lichter ondersteunen, zodat problemen en de kosten ervan niet groter "
            "worden. Beide betekenissen tellen.",
        ),
        DemoTerm(
            "Duurzame uitstroom",
            "Uitstroom uit de bijstand zonder herinstroom binnen 12 maanden.",
            "Iemand houdt werk en thuis in balans.",
            "Blijven werken, ook als het thuis tegenzit.",
            "Uitstroom naar werk zonder terugval in de uitkering binnen 12 maanden.",
        ),
        DemoTerm(
            "Meedoen naar vermogen",
            "Betaald werk waar het kan, anders een tegenprestatie of vrijwilligerswerk.",
            "Een zinvolle dagbesteding die past bij wat iemand kan.",
            "Ertoe doen en gezien worden.",
            None,
        ),
    ),
    results=(
        DemoResult(
            "W1",
            "Over 3 jaar vallen inwoners die vanuit de bijstand aan het werk gaan minder vaak "
            "terug in de uitkering.",
            ResultType.SUBSTANTIVE,
            "Inwoners die uitstromen uit de bijstand naar werk",
            "Terugval kost inwoners zelfvertrouwen en de gemeente opnieuw een uitkering; hier "
            "kunnen gemeente en sociaal werk samen het meeste verschil maken.",
            (
                DemoIndicator(
                    "Uitgestroomd naar werk zonder herinstroom binnen 12 maanden",
                    "%",
                    Direction.HIGHER,
                    "Eigen registratie Werk & Inkomen",
                    "69",
                    date(2019, 1, 1),
                    "80",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "71"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "72",
                            "Corona: minder uitstroom, maar wie uitstroomde bleef.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "74"),
                    ),
                    definition="Aandeel van wie in een jaar naar werk uitstroomde en binnen "
                    "12 maanden niet opnieuw een bijstandsuitkering kreeg.",
                ),
            ),
        ),
        DemoResult(
            "W2",
            "Over 3 jaar doen meer inwoners met een afstand tot de arbeidsmarkt mee naar "
            "vermogen: betaald werk, vrijwilligerswerk of dagbesteding.",
            ResultType.SUBSTANTIVE,
            "Inwoners met een grote afstand tot de arbeidsmarkt",
            "Breed gedragen, maar lastiger te beïnvloeden dan terugval.",
            (
                DemoIndicator(
                    "Netto arbeidsparticipatie",
                    "%",
                    Direction.HIGHER,
                    "CBS / waarstaatjegemeente.nl (BBV 24)",
                    "66,1",
                    date(2019, 1, 1),
                    "68",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "66,4"),
                        DemoMeasurement(date(2021, 1, 1), "66,0"),
                        DemoMeasurement(date(2022, 1, 1), "67,2"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "W3",
            "Over 3 jaar werken re-integratie en sociaal werk rond één huishouden samen; "
            "inwoners ervaren één plan.",
            ResultType.PROCESS,
            "Huishoudens met zowel een uitkering als ondersteuning",
            "Een procesresultaat: nodig om W1 te halen, geen doel op zich.",
        ),
        DemoResult(
            "W4",
            "Over 3 jaar hebben minder huishoudens problematische schulden en melden inwoners "
            "met geldzorgen zich eerder.",
            ResultType.SUBSTANTIVE,
            "Huishoudens met betalingsachterstanden",
            None,
            (
                DemoIndicator(
                    "Aanmeldingen schuldhulp binnen 3 maanden na eerste betalingsachterstand",
                    "%",
                    Direction.HIGHER,
                    "Vroegsignalering, eigen registratie",
                    "22",
                    date(2019, 1, 1),
                    "40",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 7, 1), "27"),
                        DemoMeasurement(date(2021, 7, 1), "29"),
                        DemoMeasurement(
                            date(2022, 7, 1),
                            "30",
                            "Veel signalen komen binnen, maar huisbezoeken lopen "
                            "achter door personeelstekort.",
                        ),
                    ),
                ),
            ),
        ),
        DemoResult(
            "W5",
            "Over 3 jaar vinden jongeren zonder startkwalificatie werk of gaan ze terug naar "
            "school.",
            ResultType.SUBSTANTIVE,
            "Jongeren van 16 tot 23 zonder startkwalificatie",
            "Overlapt met thema jong; hier vooral de stap naar werk.",
            (
                DemoIndicator(
                    "Werkloze jongeren (16-22 jaar)",
                    "%",
                    Direction.LOWER,
                    "CBS (BBV 26)",
                    "2,4",
                    date(2019, 1, 1),
                    "1,8",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "2,2"),
                        DemoMeasurement(date(2021, 1, 1), "2,5"),
                        DemoMeasurement(date(2022, 1, 1), "2,1"),
                    ),
                ),
            ),
        ),
    ),
    activities=(
        DemoActivity(
            "Maatje bij werkhervatting",
            "Een vrijwillig maatje van De Kern helpt wie vanuit de bijstand gaat werken om de "
            "thuissituatie te organiseren: kinderopvang regelen, een weekschema met ruimte voor "
            "boodschappen en administratie.",
            "De Kern",
            "Inwoners die uitstromen naar werk",
            "48.000",
            ActivityStatus.NEW,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "W1",
                    Contribution.LARGE,
                    "Wie thuis de zaken op orde heeft, houdt het werk langer vol.",
                ),
                DemoLink(
                    "W3",
                    Contribution.MEDIUM,
                    "Het maatje is de brug tussen klantmanager en maatschappelijk werk.",
                ),
            ),
            working_elements=(
                ("Eén vast maatje vanaf het moment van uitstroom", None),
                (
                    "Praktische hulp thuis, niet alleen gesprekken",
                    "Movisie, werkzame elementen maatjesprojecten",
                ),
                ("Start vóór de eerste werkdag", None),
            ),
            quality=(
                (
                    QualityCategory.TRAINING,
                    "Basistraining voor nieuwe maatjes en intervisie elke zes weken.",
                ),
                (
                    QualityCategory.ORGANISATION,
                    "Vaste coördinator bij De Kern die maatjes koppelt binnen een week.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Matches maatje en werkhervatter",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie De Kern",
                    "0",
                    date(2019, 1, 1),
                    "60",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "14"),
                        DemoMeasurement(date(2021, 1, 1), "31"),
                        DemoMeasurement(date(2022, 1, 1), "47"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel deelnemers dat na 6 maanden nog werkt",
                    "%",
                    Direction.HIGHER,
                    "Korte vragenlijst na 6 maanden",
                    "65",
                    date(2019, 6, 1),
                    "85",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(
                            date(2020, 6, 1),
                            "78",
                            "“Zonder haar had ik de eerste maand niet volgehouden”, "
                            "zegt een moeder van twee die nu als productiemedewerker "
                            "werkt.",
                        ),
                        DemoMeasurement(date(2021, 6, 1), "81"),
                        DemoMeasurement(date(2022, 6, 1), "84"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "Draagt direct bij aan W1, de hoogste prioriteit; ondanks de bezuiniging "
                "uitbreiden naar 80 matches per jaar.",
            ),
        ),
        DemoActivity(
            "Warme overdracht klantmanager en maatschappelijk werk",
            "Bij uitstroom naar werk plant de klantmanager een gezamenlijk gesprek met het "
            "maatschappelijk werk, zodat de inwoner één plan heeft.",
            "Gemeente Kampen",
            "Huishoudens met een uitkering en ondersteuning",
            "12.000",
            ActivityStatus.NEW,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink("W3", Contribution.LARGE, "Eén gesprek, één plan, één contactpersoon."),
                DemoLink(
                    "W1",
                    Contribution.MEDIUM,
                    "Problemen thuis worden eerder gezien als de lijnen kort zijn.",
                ),
            ),
            working_elements=(("Gezamenlijk eerste gesprek met de inwoner erbij", None),),
            indicators=(
                DemoIndicator(
                    "Warme overdrachten bij uitstroom",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Werk & Inkomen",
                    "0",
                    date(2019, 1, 1),
                    "100",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "22"),
                        DemoMeasurement(date(2021, 1, 1), "41"),
                        DemoMeasurement(date(2022, 1, 1), "58"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
            ),
            decision=(Decision.CONTINUE, "Goedkoop en werkt; vastleggen in de werkinstructie."),
        ),
        DemoActivity(
            "Werkfit-trajecten",
            "Individuele re-integratietrajecten van de gemeente: sollicitatietraining, "
            "werkervaringsplaatsen en jobcoaching.",
            "Gemeente Kampen",
            "Inwoners met een afstand tot de arbeidsmarkt",
            "310.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.EFFECTIVE_FIRST,
            links=(
                DemoLink(
                    "W2",
                    Contribution.LARGE,
                    "Werkervaring en begeleiding vergroten de kans op een baan.",
                ),
            ),
            quality=(
                (
                    QualityCategory.METHOD,
                    "Jobcoaching volgens de methodiek "
                    "Individuele Plaatsing en Steun (IPS) voor een deel van de deelnemers.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Deelnemers met betaald werk na afloop",
                    "%",
                    Direction.HIGHER,
                    "Registratie Werk & Inkomen",
                    "35",
                    date(2019, 1, 1),
                    "45",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "36"),
                        DemoMeasurement(date(2021, 1, 1), "33"),
                        DemoMeasurement(date(2022, 1, 1), "38"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.PHASE_OUT,
                "Duur per geplaatste deelnemer; budget deels naar maatjes en IPS.",
            ),
        ),
        DemoActivity(
            "Vroegsignalering betalingsachterstanden",
            "Woningcorporaties, energie- en zorgverzekeraars melden achterstanden; Welzijn "
            "Kampen doet binnen twee weken een huisbezoek en thuisadministratie-vrijwilligers "
            "helpen met de papieren.",
            "Welzijn Kampen",
            "Huishoudens met betalingsachterstanden",
            "64.000",
            ActivityStatus.NEW,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "W4",
                    Contribution.LARGE,
                    "Wie vroeg geholpen wordt, komt niet in problematische schulden.",
                ),
            ),
            working_elements=(("Huisbezoek binnen twee weken na het signaal", None),),
            indicators=(
                DemoIndicator(
                    "Huisbezoeken na een signaal",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "0",
                    date(2019, 1, 1),
                    "300",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "120"),
                        DemoMeasurement(date(2021, 1, 1), "190"),
                        DemoMeasurement(date(2022, 1, 1), "210"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
            ),
            decision=(Decision.CONTINUE, None),
        ),
        DemoActivity(
            "Bingomiddag in het buurthuis",
            "Wekelijkse bingo in buurthuis De Wijk, open voor iedereen.",
            "Welzijn Kampen",
            None,
            "8.500",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            decision=(
                Decision.STOP,
                "Doel of middel? Aan geen resultaat van dit thema gekoppeld; wie komt, "
                "vindt ontmoeting in het thema meedoen.",
            ),
        ),
    ),
    reflections=(
        DemoReflection(
            date(2021, 11, 18),
            "De maatjes werken: deelnemers houden hun werk vaker vast dan verwacht. "
            "Klantmanagers en sociaal werkers weten elkaar te vinden.",
            "Jongeren zonder startkwalificatie bereiken we nauwelijks. De werkfit-trajecten "
            "zijn duur per geplaatste deelnemer.",
            (
                DemoAction(
                    "Met leerplicht en jongerenwerk één route naar school of werk maken",
                    "Gemeente Kampen, beleidsmedewerker jeugd",
                    date(2022, 6, 1),
                ),
                DemoAction(
                    "Kosten per geplaatste deelnemer van de werkfit-trajecten uitzoeken",
                    "Gemeente Kampen, Werk & Inkomen",
                    date(2022, 3, 1),
                    done=True,
                ),
            ),
        ),
    ),
    table=(
        DemoTableMember(
            "Ellen de Vries",
            "Gemeente Kampen",
            Perspective.MUNICIPALITY,
            "Minder terugval in de bijstand; de taakstelling halen zonder de preventie te raken.",
            "Beleidsadviseur Werk & Inkomen; legt voorstellen voor aan de wethouder.",
        ),
        DemoTableMember(
            "Ruud Hendriks",
            "Gemeente Kampen, Werk & Inkomen",
            Perspective.MUNICIPALITY,
            "Klantmanagers die weten bij wie ze terechtkunnen als het thuis vastloopt.",
            "Teamleider klantmanagers; beslist over de werkinstructie.",
        ),
        DemoTableMember(
            "Marloes Bakker",
            "De Kern",
            Perspective.PROVIDER,
            "Genoeg vrijwillige maatjes en een subsidie die langer dan een jaar zekerheid geeft.",
            "Manager maatschappelijk werk; zegt inzet van De Kern toe.",
        ),
        DemoTableMember(
            "Welzijn Kampen",
            "Welzijn Kampen",
            Perspective.PROVIDER,
            "Vrijwilligerswerk als opstap voor wie (nog) niet betaald kan werken.",
            "Coördinator vrijwilligerscentrale; overlegt met de directie.",
        ),
        DemoTableMember(
            "Cliëntenraad Sociaal Domein",
            "Cliëntenraad Sociaal Domein",
            Perspective.RESIDENT,
            "Dat uitstroom naar werk niet betekent dat je er thuis alleen voor staat.",
            "Adviseert gevraagd en ongevraagd; geen besluitvorming.",
        ),
        DemoTableMember(
            "Johan (ervaringsdeskundige)",
            None,
            Perspective.RESIDENT,
            "Vertelt wat hem hielp toen hij na zes jaar bijstand weer ging werken.",
            "Spreekt voor zichzelf.",
        ),
    ),
    decided=("college", date(2019, 11, 12)),
    result_decisions=(
        DemoResultDecision(
            "W1",
            ResultDecisionKind.KEEP,
            "Hoogste prioriteit; de terugval daalt, maar nog niet genoeg.",
        ),
        DemoResultDecision(
            "W3",
            ResultDecisionKind.REWORD,
            "Als procesresultaat is het gehaald; voor inwoners telt of zij één plan ervaren.",
            new_text="Inwoners met een uitkering en ondersteuning ervaren één plan en één vast "
            "contactpersoon.",
        ),
    ),
    stories=(
        (
            "W1",
            DemoStory(
                date(2020, 9, 14),
                "Klantmanager Werk & Inkomen",
                "Een alleenstaande moeder die na vier jaar bijstand in de thuiszorg ging werken, "
                "wilde na twee weken stoppen: de opvang sloot niet aan op haar diensten. Het "
                "maatje regelde met de buurvrouw de ochtenden. Ze werkt er nog.",
            ),
        ),
        (
            "Maatje bij werkhervatting",
            DemoStory(
                date(2021, 3, 2),
                "Deelnemer, in het evaluatiegesprek",
                "Het gaat niet om het rooster. Het gaat erom dat er iemand is die vraagt hoe "
                "het gaat, ook als het goed gaat.",
            ),
        ),
    ),
    step_status={
        0: StepStatus.DONE,
        1: StepStatus.DONE,
        2: StepStatus.DONE,
        3: StepStatus.DONE,
        4: StepStatus.IN_PROGRESS,
        5: StepStatus.IN_PROGRESS,
        6: StepStatus.IN_PROGRESS,
    },
    step_notes={
        2: "Prioriteit gezet in sessie 2 (april 2019) met professionals van De Kern en "
        "Welzijn Kampen. Na de taakstelling van € 4,3 miljoen opnieuw bekeken: W1 blijft "
        "bovenaan.",
        6: "Besluiten genomen in de evaluatiesessie van november 2021.",
    },
)

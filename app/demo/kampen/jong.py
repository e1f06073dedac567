"""Theme jong: invented content around the partners the Kampen case names (CJG, Home-Start)."""

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
    DemoNextCycle,
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

JONG = DemoTheme(
    name="Jong",
    description="Gezond en veilig opgroeien, met steun dichtbij huis.",
    start_year=2019,
    end_year=2022,
    current_step=5,
    ambition=(
        "Kinderen en jongeren in Kampen groeien gezond en veilig op, ontwikkelen hun talenten "
        "en kunnen dichtbij huis terecht met vragen over opgroeien en opvoeden."
    ),
    ambition_status=AmbitionStatus.FORMULATED,
    ambition_on=date(2019, 2, 21),
    ambition_origin="werksessie 1, 21 februari 2019",
    ambition_drafts=(
        "Kinderen in Kampen groeien gezond en veilig op.",
        "Kinderen en jongeren in Kampen groeien gezond en veilig op en hebben minder zware "
        "jeugdhulp nodig.",
    ),
    monitoring=(
        (
            MonitoringKind.FIGURE,
            "Jongeren met jeugdhulp",
            "13,8% van 0-17 jaar (2018)",
            "CBS / waarstaatjegemeente.nl (BBV 29)",
            "Hoger dan landelijk en nog steeds stijgend. Jeugdhulp gaf in 2019 een tekort van "
            "€ 2,8 miljoen.",
        ),
        (
            MonitoringKind.FIGURE,
            "Kinderen in een uitkeringsgezin",
            "5,1% (2018)",
            "CBS (BBV 23)",
            "Rond het landelijk gemiddelde, maar sterk geconcentreerd in een paar wijken.",
        ),
        (
            MonitoringKind.FIGURE,
            "Vroegtijdig schoolverlaters zonder startkwalificatie",
            "1,9% (schooljaar 2017/2018)",
            "DUO / waarstaatjegemeente.nl (BBV 19)",
            "Vooral jongeren van 18 tot 23 jaar op het mbo; veel van hen zijn al eerder in beeld "
            "geweest bij jeugdhulp.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Ouders gaan met opvoedvragen naar de huisarts",
            None,
            "Intern begeleiders basisscholen en praktijkondersteuners",
            "Ouders kennen het CJG nauwelijks. Met een gewone opvoedvraag gaan ze naar de "
            "huisarts, die dan al snel doorverwijst naar specialistische jeugdhulp.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Home-Start heeft een wachtlijst",
            None,
            "Coördinator Home-Start Kampen",
            "Er zijn meer aanmeldingen dan vrijwilligers. De subsidie wordt elk jaar opnieuw "
            "toegekend, waardoor werven voor de lange termijn lastig is.",
        ),
    ),
    terms=(
        DemoTerm(
            "Lichte ondersteuning",
            "Hulp zonder beschikking: CJG, Home-Start, een opvoedcursus.",
            "Kortdurende hulp van een professional of vrijwilliger, zonder wachtlijst.",
            "Iemand die even meekijkt, zonder dat er meteen een dossier komt.",
            "Hulp die zonder verwijzing of beschikking dichtbij beschikbaar is, binnen twee "
            "weken start en meestal niet langer dan zes maanden duurt.",
        ),
        DemoTerm(
            "Normaliseren",
            "Gewone opvoedvragen niet als probleem behandelen, zodat minder kinderen worden "
            "doorverwezen.",
            "Erop vertrouwen dat ouders en hun netwerk veel zelf kunnen, en daar bij aansluiten.",
            "Niet meteen als probleemgezin gezien worden.",
            None,
        ),
        DemoTerm(
            "Zonder hulp verder",
            "Na afsluiting binnen 12 maanden geen nieuwe jeugdhulp.",
            "Het gezin heeft de doelen uit het plan gehaald.",
            "Het gaat weer goed thuis en we weten wie we kunnen bellen als het nodig is.",
            "Het gezin heeft de afgesproken doelen gehaald en start binnen 12 maanden geen "
            "nieuwe jeugdhulp.",
        ),
    ),
    results=(
        DemoResult(
            "J1",
            "Over 3 jaar voelen ouders zich zekerder in de opvoeding en vinden ze lichte "
            "ondersteuning dichtbij: op school, bij het CJG of via vrijwilligers.",
            ResultType.SUBSTANTIVE,
            "Ouders van kinderen van 0 tot 18 jaar",
            "Hoogste prioriteit in sessie 2: ouders die zich zeker voelen, vragen minder snel "
            "zware hulp. Hier kunnen CJG, school en vrijwilligers samen het meeste doen.",
            (
                DemoIndicator(
                    "Aandeel ouders dat zich zeker voelt in de opvoeding",
                    "%",
                    Direction.HIGHER,
                    "GGD Jeugdmonitor, ouders van kinderen van 0-11 jaar",
                    "78",
                    date(2019, 1, 1),
                    "84",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "79"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "76",
                            "Na maanden thuisonderwijs voelden veel ouders zich "
                            "onzeker; het CJG kreeg twee keer zoveel vragen over "
                            "slapen, schermtijd en ruzie thuis.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "80"),
                    ),
                    definition="Aandeel ouders dat op de vraag 'Ik voel me zeker in de "
                    "opvoeding van mijn kind' antwoordt met 'eens' of 'helemaal eens'.",
                ),
            ),
        ),
        DemoResult(
            "J2",
            "Over 3 jaar zijn minder kinderen en jongeren aangewezen op specialistische "
            "jeugdhulp, omdat hulp eerder en lichter beschikbaar is.",
            ResultType.SUBSTANTIVE,
            "Kinderen en jongeren van 0 tot 18 jaar",
            "Raakt direct aan het tekort op jeugdhulp. Professionals willen niet dat 'minder "
            "jeugdhulp' een doel op zich wordt: het gaat om passende hulp, op tijd.",
            (
                DemoIndicator(
                    "Jongeren met jeugdhulp",
                    "% van 0-17 jaar",
                    Direction.LOWER,
                    "CBS / waarstaatjegemeente.nl (BBV 29)",
                    "13,8",
                    date(2019, 1, 1),
                    "12",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "13,9"),
                        DemoMeasurement(date(2021, 1, 1), "13,5"),
                        DemoMeasurement(
                            date(2022, 1, 1),
                            "12,9",
                            "Eerste daling in jaren. Vooral minder nieuwe "
                            "verwijzingen via de huisarts voor kinderen tot 12 "
                            "jaar, sinds de POH jeugd en het CJG samen werken.",
                        ),
                    ),
                ),
            ),
        ),
        DemoResult(
            "J3",
            "Over 3 jaar doen kinderen uit gezinnen met een laag inkomen net zo vaak mee aan "
            "sport en cultuur als andere kinderen.",
            ResultType.SUBSTANTIVE,
            "Kinderen van 4 tot 18 jaar in gezinnen met een laag inkomen",
            "Meedoen aan sport en cultuur geeft vrienden, zelfvertrouwen en structuur. De "
            "gemeente heeft hier via het minimabeleid een directe knop om aan te draaien.",
            (
                DemoIndicator(
                    "Aandeel kinderen uit minimagezinnen dat lid is van een sport- of cultuurclub",
                    "%",
                    Direction.HIGHER,
                    "Eigen registratie minimabeleid en ouderpeiling",
                    "48",
                    date(2019, 1, 1),
                    "65",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "52"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "44",
                            "Verenigingen lagen maanden stil; vooral kinderen die "
                            "net lid waren, kwamen niet terug.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "56"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "J4",
            "Over 3 jaar verlaten minder jongeren school zonder startkwalificatie.",
            ResultType.SUBSTANTIVE,
            "Jongeren van 12 tot 23 jaar",
            "Overlapt met thema werk (W5); hier gaat het om voorkomen dat jongeren uitvallen.",
            (
                DemoIndicator(
                    "Vroegtijdig schoolverlaters zonder startkwalificatie",
                    "% van 12-23 jaar",
                    Direction.LOWER,
                    "DUO / waarstaatjegemeente.nl (BBV 19)",
                    "1,9",
                    date(2019, 1, 1),
                    "1,5",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "1,8"),
                        DemoMeasurement(date(2021, 1, 1), "1,6"),
                        DemoMeasurement(date(2022, 1, 1), "1,8"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "J5",
            "Over 3 jaar voelen jongeren zich mentaal gezonder en minder eenzaam.",
            ResultType.SUBSTANTIVE,
            "Jongeren van 12 tot 18 jaar",
            "Laagste prioriteit, niet omdat het minder belangrijk is, maar omdat de partners "
            "aan tafel hier minder invloed op hebben dan school en thuis.",
            (
                DemoIndicator(
                    "Aandeel jongeren dat zich (zeer) eenzaam voelt",
                    "% van 12-18 jaar",
                    Direction.LOWER,
                    "GGD Jeugdmonitor",
                    "17",
                    date(2019, 1, 1),
                    "13",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "16"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "23",
                            "Scholen dicht, sport stil: jongeren misten vooral "
                            "het gewone contact met leeftijdgenoten.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "19"),
                    ),
                ),
            ),
        ),
    ),
    activities=(
        DemoActivity(
            "Home-Start: vrijwilligers bij gezinnen thuis",
            "Een getrainde vrijwilliger, zelf ook ouder, bezoekt een gezin met jonge kinderen "
            "een dagdeel per week, een half jaar tot een jaar lang: een luisterend oor, "
            "praktische hulp en samen dingen doen met de kinderen.",
            "Home-Start Kampen",
            "Gezinnen met kinderen van 0 tot 6 jaar",
            "62.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.EFFECTIVE_FIRST,
            links=(
                DemoLink(
                    "J1",
                    Contribution.LARGE,
                    "Ouders die zich gesteund voelen door een andere ouder, voelen zich "
                    "zekerder in de opvoeding.",
                ),
                DemoLink(
                    "J2",
                    Contribution.MEDIUM,
                    "Kleine problemen worden opgelost voordat specialistische hulp nodig is.",
                ),
            ),
            working_elements=(
                (
                    "Gelijkwaardige relatie: een ouder helpt een ouder",
                    "Home-Start, landelijke methodiekbeschrijving",
                ),
                ("De vrijwilliger komt thuis, op een vast moment in de week", None),
                (
                    "De coördinator houdt zicht op het gezin en schakelt op tijd professionele "
                    "hulp in",
                    None,
                ),
            ),
            quality=(
                (
                    QualityCategory.TRAINING,
                    "Voorbereidingstraining van acht dagdelen voor "
                    "nieuwe vrijwilligers en intervisie elke maand.",
                ),
                (
                    QualityCategory.ORGANISATION,
                    "Structurele subsidie in plaats van een "
                    "jaarlijkse incidentele toekenning, zodat vrijwilligers geworven kunnen "
                    "worden voor meer dan een jaar.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Gezinnen ondersteund",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Home-Start Kampen",
                    "38",
                    date(2019, 1, 1),
                    "55",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "41"),
                        DemoMeasurement(date(2021, 1, 1), "44"),
                        DemoMeasurement(date(2022, 1, 1), "52"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel ouders dat zich na afloop zekerder voelt in de opvoeding",
                    "%",
                    Direction.HIGHER,
                    "Eindevaluatie Home-Start",
                    "80",
                    date(2019, 1, 1),
                    "85",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "84"),
                        DemoMeasurement(date(2021, 1, 1), "82"),
                        DemoMeasurement(
                            date(2022, 1, 1),
                            "88",
                            "“Ze kwam gewoon koffie drinken en bleef. Nu durf ik "
                            "zelf weer hulp te vragen”, zegt een moeder van "
                            "een tweeling.",
                        ),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "Bij de taakstelling van € 4,3 miljoen bleek de subsidie niet structureel "
                "gedekt. Toch structureel gemaakt en uitgebreid met tien vrijwilligers: "
                "draagt sterk bij aan J1, de hoogste prioriteit, en voorkomt duurdere "
                "hulp.",
            ),
        ),
        DemoActivity(
            "CJG-consulent op school en peuterspeelzaal",
            "Op alle basisscholen en peuterspeelzalen houdt een vaste CJG-consulent wekelijks "
            "spreekuur voor ouders. Intern begeleiders kunnen haar direct inschakelen; "
            "schoolmaatschappelijk werk van De Kern sluit aan bij zorgen over een leerling.",
            "CJG Kampen",
            "Ouders, kinderen en leerkrachten",
            "285.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "J1",
                    Contribution.LARGE,
                    "Een bekend gezicht op school verlaagt de drempel om een vraag te stellen.",
                ),
                DemoLink(
                    "J2",
                    Contribution.LARGE,
                    "De consulent lost veel vragen zelf op, zodat een verwijzing naar "
                    "specialistische hulp niet nodig is.",
                ),
                DemoLink(
                    "J4",
                    Contribution.SMALL,
                    "Zorgen over verzuim worden eerder besproken met ouders.",
                ),
            ),
            working_elements=(
                ("Op de vindplaats: waar ouders en kinderen toch al komen", None),
                ("Vaste gezichten, zodat ouders en leerkrachten de consulent kennen", None),
                ("Korte lijn met de intern begeleider en de POH jeugd van de huisarts", None),
            ),
            quality=(
                (QualityCategory.METHOD, "Werken met één gezinsplan, samen met ouders opgesteld."),
                (
                    QualityCategory.KNOWLEDGE,
                    "Consulenten kennen de erkende "
                    "opvoedinterventies uit de databank van het NJi en weten wanneer die "
                    "passen.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Gesprekken met ouders op school",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie CJG Kampen",
                    "620",
                    date(2019, 1, 1),
                    "800",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "690"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "580",
                            "Scholen maandenlang dicht; gesprekken gingen deels telefonisch.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "760"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Trajecten afgesloten zonder verwijzing naar specialistische jeugdhulp",
                    "%",
                    Direction.HIGHER,
                    "Registratie CJG Kampen",
                    "72",
                    date(2019, 1, 1),
                    "80",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "74"),
                        DemoMeasurement(date(2021, 1, 1), "75"),
                        DemoMeasurement(date(2022, 1, 1), "78"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.CONTINUE,
                "Kern van J1 en J2; formatie blijft gelijk. Minder tijd voor overleg, "
                "meer voor spreekuren.",
            ),
        ),
        DemoActivity(
            "Ambulant jongerenwerk",
            "Jongerenwerkers van Welzijn Kampen zoeken jongeren op waar ze zijn: op straat, "
            "op school en online. Ze bouwen een band op en helpen bij vragen over school, "
            "thuis, geld en gezondheid.",
            "Welzijn Kampen",
            "Jongeren van 12 tot 23 jaar",
            "118.000",
            ActivityStatus.STRENGTHEN,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "J5",
                    Contribution.MEDIUM,
                    "Een vertrouwde volwassene buiten school en thuis helpt jongeren "
                    "om over hun zorgen te praten.",
                ),
                DemoLink(
                    "J4",
                    Contribution.MEDIUM,
                    "Jongerenwerkers zien uitval vroeg en brengen jongeren in contact "
                    "met leerplicht en school.",
                ),
            ),
            working_elements=(
                (
                    "Eropaf: de jongerenwerker gaat naar de jongere toe",
                    "Movisie, werkzame factoren in het jongerenwerk",
                ),
                ("Vrijwillig contact en een lange adem", None),
            ),
            quality=(
                (
                    QualityCategory.TRAINING,
                    "Scholing in het herkennen van psychische klachten bij jongeren.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Jongeren met wie een vast contact is",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "140",
                    date(2019, 1, 1),
                    "200",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "152"),
                        DemoMeasurement(date(2021, 1, 1), "181"),
                        DemoMeasurement(date(2022, 1, 1), "196"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel jongeren met een hulpvraag dat binnen vier weken een plek vond",
                    "%",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "55",
                    date(2019, 1, 1),
                    "75",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "58"),
                        DemoMeasurement(date(2021, 1, 1), "61"),
                        DemoMeasurement(date(2022, 1, 1), "67"),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "Uitgebreid met het geld van de vrije inloop: bereikt juist de "
                "jongeren die niet vanzelf binnenkomen.",
            ),
        ),
        DemoActivity(
            "Jeugdfonds Sport & Cultuur",
            "Het fonds betaalt contributie, lesgeld en spullen voor kinderen uit gezinnen met "
            "een laag inkomen. Een intermediair (leerkracht, CJG-consulent, jongerenwerker) "
            "vraagt het aan, samen met de ouders.",
            "Gemeente Kampen",
            "Kinderen van 4 tot 18 jaar in gezinnen met een laag inkomen",
            "55.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "J3",
                    Contribution.LARGE,
                    "Als geld geen drempel meer is, gaan meer kinderen naar een club.",
                ),
                DemoLink(
                    "J5",
                    Contribution.SMALL,
                    "Wie bij een club hoort, voelt zich minder snel alleen.",
                ),
            ),
            working_elements=(("Aanvraag via een bekende intermediair, niet via een loket", None),),
            quality=(
                (
                    QualityCategory.ORGANISATION,
                    "Afspraken met sportclubs over een warm welkom "
                    "en geen extra kosten voor kleding of toernooien.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Kinderen met een bijdrage uit het fonds",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Jeugdfonds Sport & Cultuur",
                    "210",
                    date(2019, 1, 1),
                    "300",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "236"),
                        DemoMeasurement(date(2021, 1, 1), "198"),
                        DemoMeasurement(date(2022, 1, 1), "274"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel kinderen dat na een jaar nog lid is",
                    "%",
                    Direction.HIGHER,
                    "Navraag bij clubs",
                    "70",
                    date(2019, 1, 1),
                    "80",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "71"),
                        DemoMeasurement(date(2021, 1, 1), "63"),
                        DemoMeasurement(date(2022, 1, 1), "74"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.CONTINUE,
                "Klein budget, direct effect op J3; viel buiten de taakstelling omdat "
                "het deel is van het minimabeleid.",
            ),
        ),
        DemoActivity(
            "Opvoedcursus in groepen",
            "Een cursus van zes bijeenkomsten voor ouders van kinderen van 2 tot 12 jaar, "
            "gegeven door CJG-consulenten op school. Gebaseerd op een erkende "
            "opvoedinterventie uit de databank van het NJi.",
            "CJG Kampen",
            "Ouders van kinderen van 2 tot 12 jaar",
            "24.000",
            ActivityStatus.NEW,
            EvidenceLevel.EFFECTIVE_GOOD,
            links=(
                DemoLink(
                    "J1",
                    Contribution.MEDIUM,
                    "Ouders leren concrete vaardigheden en merken dat andere ouders met "
                    "dezelfde vragen zitten.",
                ),
            ),
            working_elements=(
                (
                    "Oefenen met eigen situaties, niet alleen uitleg",
                    "NJi, databank effectieve jeugdinterventies",
                ),
                ("Ouders leren van elkaar in een kleine groep", None),
            ),
            quality=(
                (QualityCategory.TRAINING, "Consulenten zijn gecertificeerd voor de methode."),
            ),
            indicators=(
                DemoIndicator(
                    "Aandeel ouders dat de cursus afmaakt",
                    "%",
                    Direction.HIGHER,
                    "Presentielijsten CJG Kampen",
                    "60",
                    date(2020, 1, 1),
                    "80",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 12, 1), "58"),
                        DemoMeasurement(date(2021, 12, 1), "66"),
                        DemoMeasurement(
                            date(2022, 12, 1),
                            "71",
                            "Sinds de cursus 's avonds op school wordt gegeven, "
                            "komen ook meer vaders.",
                        ),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
        ),
        DemoActivity(
            "Vrije inloop jongerencentrum",
            "Twee avonden per week open inloop in het jongerencentrum, met een jongerenwerker "
            "en een vrijwilliger.",
            "Welzijn Kampen",
            "Jongeren van 12 tot 23 jaar",
            "38.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "J5",
                    Contribution.SMALL,
                    "Een plek om te zijn geeft jongeren contact met leeftijdgenoten.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Bezoekers per avond",
                    "aantal",
                    Direction.HIGHER,
                    "Turflijst Welzijn Kampen",
                    "16",
                    date(2019, 1, 1),
                    "25",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(
                            date(2019, 10, 1),
                            "15",
                            "Elke week grotendeels dezelfde groep van vijftien "
                            "jongens; meisjes en jongeren met zorgen komen niet.",
                        ),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
            ),
            decision=(
                Decision.STOP,
                "Taakstelling: weinig bereik en geen aanwijzing dat het bijdraagt aan "
                "J5. Het geld gaat grotendeels naar ambulant jongerenwerk.",
            ),
        ),
    ),
    reflections=(
        DemoReflection(
            date(2021, 10, 14),
            "De CJG-consulent op school is bekend bij ouders en leerkrachten; huisartsen "
            "verwijzen minder vaak direct door. Home-Start heeft de wachtlijst weggewerkt.",
            "De eenzaamheid onder jongeren is sinds corona flink gestegen, en daar hebben we "
            "weinig grip op. Het bereik van de opvoedcursus onder vaders en ouders met een "
            "migratieachtergrond blijft klein.",
            (
                DemoAction(
                    "Met scholen en jongerenwerk een aanpak voor eenzaamheid onder "
                    "jongeren uitwerken, met jongeren zelf aan tafel",
                    "Welzijn Kampen, teamleider jongerenwerk",
                    date(2022, 4, 1),
                ),
                DemoAction(
                    "Ouders die de opvoedcursus niet afmaken vragen waarom",
                    "CJG Kampen, coördinator opvoedondersteuning",
                    date(2022, 2, 1),
                    done=True,
                ),
            ),
        ),
    ),
    table=(
        DemoTableMember(
            "Hanneke Mulder",
            "Gemeente Kampen",
            Perspective.MUNICIPALITY,
            "Het tekort op jeugdhulp terugdringen door eerder en lichter te helpen.",
            "Beleidsadviseur jeugd; bereidt de besluiten van het college voor.",
        ),
        DemoTableMember(
            "CJG Kampen",
            "CJG Kampen",
            Perspective.PROVIDER,
            "Bekend worden bij ouders, zodat die niet eerst naar de huisarts gaan.",
            "Coördinator; zegt de inzet op scholen toe.",
        ),
        DemoTableMember(
            "Home-Start Kampen",
            "Home-Start Kampen",
            Perspective.PROVIDER,
            "Een subsidie die langer loopt dan een jaar, om vrijwilligers te kunnen werven.",
            "Coördinator; overlegt met het bestuur.",
        ),
        DemoTableMember(
            "Ouderpanel Kampen",
            None,
            Perspective.RESIDENT,
            "Hulp dichtbij, zonder dat er meteen een dossier komt.",
            "Denkt mee; geen besluitvorming.",
        ),
    ),
    decided=("college", date(2019, 11, 12)),
    result_decisions=(
        DemoResultDecision(
            "J4",
            ResultDecisionKind.DROP,
            "Schoolverlaters zonder startkwalificatie vallen voortaan onder thema Werk (W5); "
            "dubbel sturen helpt niemand.",
            decided=("college", date(2022, 11, 22)),
        ),
        DemoResultDecision(
            "J5",
            ResultDecisionKind.REWORD,
            "Eenzaamheid onder jongeren steeg sinds corona; het resultaat moet zeggen wat we "
            "anders willen zien.",
            new_text="Minder jongeren voelen zich eenzaam; jongeren weten bij wie ze terechtkunnen "
            "als het niet goed gaat.",
            decided=("college", date(2022, 11, 22)),
        ),
    ),
    stories=(
        (
            "J1",
            DemoStory(
                date(2021, 5, 20),
                "Intern begeleider basisschool",
                "Een vader kwam met de vraag of zijn zoon 'wel normaal' was. Na twee gesprekken "
                "met de CJG-consulent op school was een verwijzing niet meer nodig.",
            ),
        ),
    ),
    next_cycle=DemoNextCycle(
        measurements={
            "Jongeren met jeugdhulp": (
                DemoMeasurement(date(2023, 12, 31), "12,9"),
                DemoMeasurement(
                    date(2024, 12, 31),
                    "12,4",
                    "Voor het eerst onder de 12,5%: de CJG-consulenten op school verwijzen "
                    "minder door.",
                ),
            ),
            "Aandeel ouders dat zich zeker voelt in de opvoeding": (
                DemoMeasurement(date(2024, 10, 1), "83"),
            ),
            "Aandeel jongeren dat zich (zeer) eenzaam voelt": (
                DemoMeasurement(date(2023, 10, 1), "21"),
                DemoMeasurement(
                    date(2025, 10, 1),
                    "18",
                    "De aanpak met scholen en jongerenwerk loopt een jaar; jongeren zelf "
                    "noemen de vaste jongerenwerker.",
                ),
            ),
            "Gezinnen ondersteund": (
                DemoMeasurement(date(2023, 12, 31), "52"),
                DemoMeasurement(date(2024, 12, 31), "57"),
            ),
        },
        current_step=5,
        step_status={
            0: StepStatus.DONE,
            1: StepStatus.DONE,
            2: StepStatus.DONE,
            3: StepStatus.DONE,
            4: StepStatus.IN_PROGRESS,
            5: StepStatus.IN_PROGRESS,
        },
        reflection=DemoReflection(
            date(2025, 3, 20),
            "Jeugdhulp daalt voor het tweede jaar op rij; ouders vinden het CJG op school.",
            "De eenzaamheid onder jongeren daalt, maar langzaam; jongeren zelf zitten nog niet "
            "aan tafel.",
        ),
    ),
    step_status={
        0: StepStatus.DONE,
        1: StepStatus.DONE,
        2: StepStatus.DONE,
        3: StepStatus.DONE,
        4: StepStatus.DONE,
        5: StepStatus.IN_PROGRESS,
        6: StepStatus.IN_PROGRESS,
    },
    step_notes={
        1: "Ambitie vastgesteld in sessie 1 (februari 2019) met De Kern, Welzijn Kampen, "
        "CJG Kampen en de gemeente.",
        2: "In sessie 2 (mei 2019) schoven ook intern begeleiders en de POH jeugd aan. "
        "J1 en J2 kregen samen de meeste stemmen.",
        5: "De cijfers over 2021 zijn sterk gekleurd door corona; we bespreken ze daarom "
        "altijd met het verhaal erbij.",
        6: "De besluiten over Home-Start, het jongerenwerk en de vrije inloop zijn al in "
        "november 2019 genomen, bij de taakstelling van € 4,3 miljoen.",
    },
)

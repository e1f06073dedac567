"""Theme vitaal: invented content, with the ambition modelled on Movisie's example ambition."""

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
    DemoTableMember,
    DemoTerm,
    DemoTheme,
)
from app.improvement.models import Decision
from app.results.models import Direction, RbaQuestion, ResultType

VITAAL = DemoTheme(
    name="Vitaal",
    description="Gezond, vitaal en zelfstandig thuis wonen, met steun uit de eigen omgeving.",
    start_year=2019,
    end_year=2022,
    current_step=4,
    ambition=(
        "Inwoners van Kampen blijven zo lang mogelijk gezond, vitaal en zelfstandig thuis "
        "wonen, met steun uit hun eigen omgeving waar dat nodig is."
    ),
    ambition_status=AmbitionStatus.FORMULATED,
    ambition_on=date(2019, 3, 14),
    ambition_origin="werksessie 1, 14 maart 2019",
    ambition_drafts=(
        "Ouderen in Kampen wonen langer zelfstandig thuis.",
        "Inwoners van Kampen blijven gezond en vitaal en hebben minder zware zorg nodig.",
    ),
    monitoring=(
        (
            MonitoringKind.FIGURE,
            "Volwassenen met een goed ervaren gezondheid",
            "76% (2016)",
            "GGD Gezondheidsmonitor volwassenen en ouderen",
            "Bij 75-plussers nog maar 52%; daar zit de grootste winst.",
        ),
        (
            MonitoringKind.FIGURE,
            "Aandeel volwassenen dat voldoet aan de beweegrichtlijn",
            "48% (2016)",
            "GGD Gezondheidsmonitor volwassenen en ouderen",
            "Minder dan de helft beweegt genoeg; inwoners met een laag inkomen het minst.",
        ),
        (
            MonitoringKind.FIGURE,
            "Cliënten met een maatwerkarrangement Wmo",
            "640 per 10.000 inwoners (2018)",
            "CBS / waarstaatjegemeente.nl (BBV 32)",
            "Stijgt, vooral huishoudelijke hulp. De Wmo gaf in 2019 een tekort van € 1,2 miljoen.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Ouderen vallen thuis en vertellen het niemand",
            None,
            "Wijkverpleging IJsselheem",
            "Na een val durven ouderen minder te bewegen en gaan ze minder de deur uit. Pas na "
            "een tweede val, vaak met een breuk, komt er hulp.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Lichte vragen komen binnen als Wmo-aanvraag",
            None,
            "Wmo-consulenten Gemeente Kampen",
            "Sinds de vaste eigen bijdrage vragen meer inwoners huishoudelijke hulp aan, ook "
            "als een buurman, de boodschappendienst of de klussendienst het ook kan.",
        ),
    ),
    terms=(
        DemoTerm(
            "Zelfstandig thuis wonen",
            "Wonen zonder opname in een verpleeghuis of andere intramurale zorg.",
            "Thuis wonen, ook als daar veel zorg aan huis voor nodig is.",
            "Zelf bepalen hoe je dag eruitziet, in je eigen huis.",
            "Thuis wonen en zelf de regie houden over je dag, met zo nodig zorg en hulp van "
            "buren en familie.",
        ),
        DemoTerm(
            "Vitaal",
            "Gezond, en daardoor weinig zorg nodig.",
            "Lichamelijk, mentaal en sociaal fit; het gaat om wat iemand wél kan (positieve "
            "gezondheid).",
            "Nog alles zelf kunnen, ook met een kwaal.",
            None,
        ),
        DemoTerm(
            "Algemene voorziening",
            "Ondersteuning zonder onderzoek en beschikking; goedkoper dan maatwerk.",
            "Vrij toegankelijke hulp in de wijk, vaak met vrijwilligers.",
            "Hulp waarvoor je geen aanvraag hoeft te doen.",
            "Ondersteuning waarvoor geen onderzoek of beschikking nodig is, zoals de "
            "boodschappendienst, de klussendienst of de maaltijdservice.",
        ),
    ),
    results=(
        DemoResult(
            "V1",
            "Over 3 jaar wonen ouderen langer zelfstandig en veilig thuis en vallen ze minder "
            "vaak.",
            ResultType.SUBSTANTIVE,
            "Inwoners van 75 jaar en ouder",
            "Hoogste prioriteit in sessie 2: een val is vaak het begin van zware zorg. "
            "Preventie loont hier voor inwoners én voor de begroting.",
            (
                DemoIndicator(
                    "Aandeel 75-plussers dat zelfstandig thuis woont",
                    "%",
                    Direction.HIGHER,
                    "CBS, bevolking naar woonsituatie",
                    "91",
                    date(2019, 1, 1),
                    "93",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "91,2"),
                        DemoMeasurement(date(2021, 1, 1), "91,8"),
                        DemoMeasurement(date(2022, 1, 1), "92,1"),
                    ),
                ),
                DemoIndicator(
                    "Valongevallen met een bezoek aan de spoedeisende hulp",
                    "per 1.000 inwoners van 65+",
                    Direction.LOWER,
                    "VeiligheidNL, Letsel Informatie Systeem (regio)",
                    "24",
                    date(2019, 1, 1),
                    "20",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "23"),
                        DemoMeasurement(date(2021, 1, 1), "22"),
                        DemoMeasurement(
                            date(2022, 1, 1),
                            "23",
                            "Na de lockdowns bewogen ouderen minder en waren ze "
                            "minder stabiel; de valcursussen lagen een jaar "
                            "stil.",
                        ),
                    ),
                ),
            ),
        ),
        DemoResult(
            "V2",
            "Over 3 jaar bewegen meer inwoners voldoende en ervaren ze hun gezondheid als goed.",
            ResultType.SUBSTANTIVE,
            "Volwassen inwoners, in het bijzonder inwoners die weinig bewegen",
            "Breed en op lange termijn; huisartsen en sportclubs willen hier graag aan bijdragen.",
            (
                DemoIndicator(
                    "Aandeel volwassenen dat voldoet aan de beweegrichtlijn",
                    "%",
                    Direction.HIGHER,
                    "GGD Gezondheidsmonitor en eigen inwonerspeiling",
                    "48",
                    date(2019, 1, 1),
                    "53",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 10, 1), "49"),
                        DemoMeasurement(
                            date(2021, 10, 1),
                            "46",
                            "Sportclubs en sportscholen waren lang dicht. Wandelen "
                            "nam toe, maar niet genoeg om dat goed te maken.",
                        ),
                        DemoMeasurement(date(2022, 10, 1), "50"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "V3",
            "Over 3 jaar worden inwoners met lichte ondersteuningsvragen geholpen via algemene "
            "voorzieningen en hun eigen netwerk, waardoor minder maatwerk uit de Wmo nodig is.",
            ResultType.SUBSTANTIVE,
            "Inwoners met een lichte ondersteuningsvraag",
            "Belangrijk voor de begroting, maar de partners benadrukten dat lichte hulp "
            "dichtbij vaak ook beter past bij wat inwoners willen.",
            (
                DemoIndicator(
                    "Cliënten met een maatwerkarrangement Wmo",
                    "per 10.000 inwoners",
                    Direction.LOWER,
                    "CBS / waarstaatjegemeente.nl (BBV 32)",
                    "640",
                    date(2019, 1, 1),
                    "600",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(
                            date(2020, 1, 1),
                            "668",
                            "Door de vaste eigen bijdrage van € 19 per maand "
                            "vroegen meer inwoners huishoudelijke hulp aan.",
                        ),
                        DemoMeasurement(date(2021, 1, 1), "681"),
                        DemoMeasurement(date(2022, 1, 1), "672"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "V4",
            "Over 3 jaar is Kampen dementievriendelijk: inwoners met dementie en hun naasten "
            "kunnen blijven meedoen.",
            ResultType.SUBSTANTIVE,
            "Inwoners met dementie en hun naasten",
            "Nog zonder populatie-indicator; voorstel is een vraag in de mantelzorgpeiling "
            "over hoe naasten van mensen met dementie zich gesteund voelen.",
        ),
    ),
    activities=(
        DemoActivity(
            "Preventief huisbezoek 75+",
            "Een ouderenadviseur van Welzijn Kampen bezoekt 75-plussers thuis. Samen kijken ze "
            "naar gezondheid, valrisico, woning, contacten en geldzaken, en maken ze afspraken "
            "over wat nodig is.",
            "Welzijn Kampen",
            "Inwoners van 75 jaar en ouder",
            "58.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "V1",
                    Contribution.LARGE,
                    "Risico's zoals losse kleden of weinig contacten worden gezien voordat "
                    "het misgaat.",
                ),
                DemoLink(
                    "V3",
                    Contribution.MEDIUM,
                    "De ouderenadviseur wijst de weg naar algemene voorzieningen, voordat "
                    "een Wmo-aanvraag nodig is.",
                ),
            ),
            working_elements=(
                ("Het gesprek vindt thuis plaats, zodat de adviseur de woning ziet", None),
                ("Een vervolgafspraak binnen vier weken als er iets te regelen is", None),
            ),
            quality=(
                (QualityCategory.METHOD, "Een vaste gesprekslijst met een korte valrisicotest."),
                (
                    QualityCategory.ORGANISATION,
                    "Gericht op 75-plussers die alleen wonen of "
                    "recent hun partner verloren, via de basisadministratie en de huisarts.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Huisbezoeken bij 75-plussers",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "310",
                    date(2019, 1, 1),
                    "450",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "335"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "190",
                            "Huisbezoeken lagen maanden stil; ouderenadviseurs "
                            "belden wel alle 75-plussers die alleen wonen.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "372"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Bezochte ouderen met een afspraak of verwijzing binnen vier weken",
                    "%",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "40",
                    date(2019, 1, 1),
                    "60",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "44"),
                        DemoMeasurement(date(2021, 1, 1), "49"),
                        DemoMeasurement(date(2022, 1, 1), "53"),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
            decision=(
                Decision.CONTINUE,
                "Draagt bij aan V1 en V3. Bij de taakstelling niet meer iedereen van 75 "
                "jaar, maar gericht op wie alleen woont of recent een partner verloor.",
            ),
        ),
        DemoActivity(
            "Valpreventie: cursus In Balans",
            "Een cursus van tien weken voor 65-plussers met een verhoogd valrisico: oefeningen "
            "voor kracht en evenwicht, en tips voor een veilige woning. Gegeven door een "
            "fysiotherapeut van IJsselheem.",
            "IJsselheem",
            "Inwoners van 65+ met een verhoogd valrisico",
            "18.000",
            ActivityStatus.NEW,
            EvidenceLevel.EFFECTIVE_GOOD,
            links=(
                DemoLink(
                    "V1",
                    Contribution.LARGE,
                    "Wie sterker en stabieler is, valt minder vaak en blijft langer zelfstandig.",
                ),
                DemoLink(
                    "V2", Contribution.SMALL, "Deelnemers blijven na de cursus vaker zelf oefenen."
                ),
            ),
            working_elements=(
                (
                    "Oefenen van kracht en evenwicht, opbouwend in zwaarte",
                    "VeiligheidNL, interventiebeschrijving valpreventie",
                ),
                ("Aandacht voor angst om te vallen", None),
            ),
            quality=(
                (QualityCategory.TRAINING, "Fysiotherapeuten zijn geschoold in de methode."),
                (
                    QualityCategory.ORGANISATION,
                    "De ouderenadviseur verwijst na een huisbezoek direct door.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Deelnemers aan de cursus",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie IJsselheem",
                    "0",
                    date(2019, 1, 1),
                    "120",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "36"),
                        DemoMeasurement(date(2021, 1, 1), "8"),
                        DemoMeasurement(date(2022, 1, 1), "54"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel deelnemers dat na afloop minder bang is om te vallen",
                    "%",
                    Direction.HIGHER,
                    "Vragenlijst voor en na de cursus",
                    "50",
                    date(2019, 6, 1),
                    "70",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 6, 1), "64"),
                        DemoMeasurement(
                            date(2022, 6, 1),
                            "71",
                            "“Ik durf weer alleen naar de markt”, zegt een deelneemster van 79.",
                        ),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
        ),
        DemoActivity(
            "Bewegen op Recept",
            "Huisartsen en POH'ers verwijzen inwoners die te weinig bewegen en een "
            "chronische aandoening hebben naar een beweegcoach. Die zoekt samen met de "
            "inwoner een passende sport- of beweeggroep in de buurt.",
            "Huisartsen Kampen",
            "Volwassenen die te weinig bewegen",
            "46.000",
            ActivityStatus.NEW,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "V2",
                    Contribution.LARGE,
                    "Een verwijzing van de huisarts en een persoonlijke coach helpen "
                    "inwoners om echt te beginnen en vol te houden.",
                ),
                DemoLink(
                    "V1",
                    Contribution.SMALL,
                    "Oudere deelnemers worden sterker en vallen minder snel.",
                ),
            ),
            working_elements=(
                ("De huisarts als vertrouwde verwijzer", None),
                (
                    "Een beweegcoach die meegaat naar de eerste keer",
                    "Kenniscentrum Sport & Bewegen, Bewegen op Recept bij de sport",
                ),
                ("Aanbod dichtbij huis en betaalbaar", None),
            ),
            quality=(
                (
                    QualityCategory.ORGANISATION,
                    "Afspraken met sportclubs over een proefperiode zonder kosten.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Verwijzingen naar de beweegcoach",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie beweegcoach",
                    "0",
                    date(2019, 1, 1),
                    "150",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "48"),
                        DemoMeasurement(date(2021, 1, 1), "62"),
                        DemoMeasurement(date(2022, 1, 1), "104"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel deelnemers dat na 6 maanden nog wekelijks beweegt",
                    "%",
                    Direction.HIGHER,
                    "Navraag door de beweegcoach",
                    "50",
                    date(2019, 6, 1),
                    "60",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 6, 1), "47"),
                        DemoMeasurement(date(2021, 6, 1), "52"),
                        DemoMeasurement(
                            date(2022, 6, 1),
                            "56",
                            "Wandelgroepen houden mensen het best vast: de groep verwacht je.",
                        ),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "Goedkoop per deelnemer en sterk gedragen door de huisartsen. Ondanks de "
                "taakstelling uitbreiden met een tweede beweegcoach voor twintig uur.",
            ),
        ),
        DemoActivity(
            "Boodschappendienst, klussendienst en maaltijdservice",
            "Algemene voorzieningen van Welzijn Kampen, uitgevoerd door vrijwilligers: "
            "boodschappen doen, kleine klussen in huis en een warme maaltijd aan huis, tegen "
            "een kleine vergoeding en zonder aanvraag.",
            "Welzijn Kampen",
            "Inwoners met een lichte ondersteuningsvraag",
            "132.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "V3",
                    Contribution.LARGE,
                    "Als lichte hulp snel en zonder aanvraag te krijgen is, is maatwerk "
                    "uit de Wmo minder vaak nodig.",
                ),
                DemoLink(
                    "V1",
                    Contribution.MEDIUM,
                    "Praktische hulp maakt het mogelijk om langer thuis te blijven wonen.",
                ),
            ),
            working_elements=(
                ("Wmo-consulenten wijzen eerst op de algemene voorziening", None),
                ("Vaste vrijwilligers, zodat er ook contact ontstaat", None),
            ),
            quality=(
                (
                    QualityCategory.ORGANISATION,
                    "Werkafspraak met het Wmo-loket: bij elke "
                    "aanvraag eerst bekijken of een algemene voorziening past.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Huishoudens geholpen zonder Wmo-aanvraag",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "520",
                    date(2019, 1, 1),
                    "700",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "548"),
                        DemoMeasurement(
                            date(2021, 1, 1),
                            "640",
                            "Tijdens de lockdowns vroegen veel meer ouderen om "
                            "boodschappen; er meldden zich ook veel nieuwe "
                            "vrijwilligers.",
                        ),
                        DemoMeasurement(date(2022, 1, 1), "611"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Wmo-aanvragen afgehandeld met een algemene voorziening",
                    "%",
                    Direction.HIGHER,
                    "Registratie Wmo-loket",
                    "12",
                    date(2019, 1, 1),
                    "25",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "14"),
                        DemoMeasurement(date(2021, 1, 1), "17"),
                        DemoMeasurement(date(2022, 1, 1), "19"),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "De taakstelling vraagt minder maatwerk, niet minder hulp. Extra "
                "vrijwilligerscoördinatie, te betalen uit lagere uitgaven aan "
                "huishoudelijke hulp.",
            ),
        ),
        DemoActivity(
            "Alzheimer Café en training dementievriendelijk",
            "Elke maand een Alzheimer Café voor mensen met dementie, hun naasten en andere "
            "belangstellenden. Daarnaast een korte training voor winkels, bank en bibliotheek "
            "over hoe je iemand met dementie herkent en helpt.",
            "IJsselheem",
            "Inwoners met dementie en hun naasten",
            "9.500",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "V4",
                    Contribution.LARGE,
                    "Naasten vinden steun bij elkaar, en een omgeving die dementie "
                    "herkent maakt meedoen langer mogelijk.",
                ),
            ),
            working_elements=(("Een vaste, huiselijke plek en vaste gespreksleiders", None),),
            indicators=(
                DemoIndicator(
                    "Bezoekers per Alzheimer Café",
                    "aantal",
                    Direction.HIGHER,
                    "Presentielijst IJsselheem",
                    "25",
                    date(2019, 1, 1),
                    "35",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "28"),
                        DemoMeasurement(date(2021, 1, 1), "12"),
                        DemoMeasurement(date(2022, 1, 1), "31"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Winkels en organisaties met een training dementievriendelijk",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie IJsselheem",
                    "6",
                    date(2019, 1, 1),
                    "40",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "14"),
                        DemoMeasurement(date(2021, 1, 1), "17"),
                        DemoMeasurement(date(2022, 1, 1), "26"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
            ),
            decision=(
                Decision.CONTINUE,
                "Klein budget, veel waardering; de enige activiteit voor V4.",
            ),
        ),
        DemoActivity(
            "Voorlichtingsmiddagen voor senioren",
            "Maandelijkse middag in het dorpshuis met een spreker over een gezondheidsthema, "
            "zoals medicijnen, voeding of de Wmo.",
            "Welzijn Kampen",
            "Inwoners van 65 jaar en ouder",
            "14.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "V2",
                    Contribution.SMALL,
                    "Wie meer weet over gezond leven, gaat er misschien ook naar leven.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Bezoekers per middag",
                    "aantal",
                    Direction.HIGHER,
                    "Presentielijst Welzijn Kampen",
                    "12",
                    date(2019, 1, 1),
                    "30",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(
                            date(2019, 11, 1),
                            "11",
                            "Vrijwel altijd dezelfde bezoekers, die zelf al "
                            "actief en goed geïnformeerd zijn.",
                        ),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
            ),
            decision=(
                Decision.STOP,
                "Taakstelling: weinig bereik, en voorlichting alleen verandert zelden "
                "gedrag. De onderwerpen gaan mee in het preventief huisbezoek en de "
                "beweegcoach.",
            ),
        ),
    ),
    reflections=(
        DemoReflection(
            date(2021, 6, 10),
            "Huisartsen, IJsselheem en Welzijn Kampen werken rond ouderen veel beter samen: de "
            "ouderenadviseur verwijst naar de valcursus en de beweegcoach, de huisarts weet "
            "wat er in de wijk is.",
            "Van de meeste activiteiten weten we nog niet goed wat werkt; we tellen vooral "
            "wat we doen. Het aantal Wmo-cliënten daalt nog niet.",
            (
                DemoAction(
                    "Voor elke activiteit de werkzame elementen beschrijven en nagaan "
                    "of er een erkende variant in de databanken staat",
                    "Welzijn Kampen, kwaliteitsmedewerker",
                    date(2021, 12, 1),
                ),
                DemoAction(
                    "Met het Wmo-loket uitzoeken welke aanvragen een algemene "
                    "voorziening hadden kunnen krijgen",
                    "Gemeente Kampen, beleidsmedewerker Wmo",
                    date(2021, 10, 1),
                    done=True,
                ),
            ),
        ),
    ),
    table=(
        DemoTableMember(
            "Gemeente Kampen, beleid Wmo",
            "Gemeente Kampen",
            Perspective.MUNICIPALITY,
            "Minder instroom in maatwerk-Wmo.",
            "Beleidsadviseur; bereidt besluiten voor.",
        ),
        DemoTableMember(
            "IJsselheem",
            "IJsselheem",
            Perspective.PROVIDER,
            "Ouderen die langer thuis wonen, met steun uit de buurt.",
            "Regiomanager; zegt inzet van de wijkteams toe.",
        ),
        DemoTableMember(
            "Seniorenraad Kampen",
            None,
            Perspective.RESIDENT,
            "Dat zelfstandig wonen niet alleen wonen wordt.",
            "Adviseert; geen besluitvorming.",
        ),
    ),
    decided=("college", date(2019, 11, 12)),
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
        2: "V1 (ouderen langer thuis) kreeg in sessie 2 (juni 2019) de meeste stemmen, vóór "
        "bewegen (V2).",
        4: "Bezig: per activiteit de werkzame elementen en de kwaliteitseisen uitschrijven, "
        "met hulp van Movisie.",
        6: "De besluiten zijn vervroegd genomen bij de taakstelling van € 4,3 miljoen "
        "(november 2019); de evaluatie volgt aan het eind van de cyclus.",
    },
)

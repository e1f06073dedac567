"""Theme meedoen: the bingo discussion ("doel of middel?") is from the Kampen case; the rest is
invented."""

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

MEEDOEN = DemoTheme(
    name="Meedoen",
    description="Meedoen in wijk en dorp, met een netwerk om op terug te vallen.",
    start_year=2019,
    end_year=2022,
    current_step=6,
    ambition=(
        "Inwoners van Kampen doen mee in hun wijk of dorp, hebben betekenisvolle contacten, "
        "kunnen terugvallen op hun netwerk en weten de weg naar ondersteuning te vinden; "
        "iedereen telt mee."
    ),
    ambition_status=AmbitionStatus.FORMULATED,
    ambition_on=date(2019, 3, 7),
    ambition_origin="werksessie 1, 7 maart 2019",
    ambition_drafts=(
        "Minder inwoners van Kampen voelen zich eenzaam.",
        "Inwoners van Kampen doen mee in hun wijk of dorp en weten de weg naar ondersteuning "
        "te vinden.",
    ),
    monitoring=(
        (
            MonitoringKind.FIGURE,
            "Aandeel inwoners van 19 jaar en ouder dat zich (zeer) ernstig eenzaam voelt",
            "11% (2016)",
            "GGD Gezondheidsmonitor volwassenen en ouderen",
            "Iets onder het landelijk beeld, maar bij 75-plussers bijna twee keer zo hoog.",
        ),
        (
            MonitoringKind.FIGURE,
            "Aandeel mantelzorgers dat zich zwaar belast of overbelast voelt",
            "14% (2016)",
            "GGD Gezondheidsmonitor volwassenen en ouderen",
            "Vooral werkende mantelzorgers en mensen die zorgen voor een partner met dementie.",
        ),
        (
            MonitoringKind.FIGURE,
            "Aandeel inwoners van 19 jaar en ouder dat vrijwilligerswerk doet",
            "34% (2016)",
            "GGD Gezondheidsmonitor volwassenen en ouderen",
            "Hoog, maar vooral bij kerken en sportclubs. Weinig vrijwilligers onder de 35 en "
            "weinig vrijwilligers met een beperking.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Wie het hardst nodig heeft, komt niet naar het buurthuis",
            None,
            "Sociaal werkers Welzijn Kampen",
            "Bij de bingo en de koffie-inloop zien we steeds dezelfde, vaak actieve bezoekers. "
            "De inwoner die echt eenzaam is, blijft thuis.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Mantelzorgers melden zich pas als het niet meer gaat",
            None,
            "Mantelzorgconsulent Welzijn Kampen en huisartsen",
            "Veel mantelzorgers zien zichzelf niet als mantelzorger. Ze komen pas in beeld als "
            "ze zelf ziek worden of de zorg acuut moet worden overgenomen.",
        ),
    ),
    terms=(
        DemoTerm(
            "Eenzaamheid",
            "Een score op de eenzaamheidsschaal van de GGD-monitor.",
            "Een gemis aan betekenisvolle contacten; sociaal of emotioneel.",
            "Niemand hebben om je verhaal aan kwijt te kunnen.",
            "Het gevoel dat je minder of minder goede contacten hebt dan je wilt. We meten met "
            "de GGD-schaal, maar in het gesprek gaat het over het gemis.",
        ),
        DemoTerm(
            "Ontmoeting",
            "Een activiteit in een buurthuis, met bezoekersaantallen.",
            "Een middel om contact te leggen en signalen op te vangen.",
            "Gezelligheid; ergens bij horen.",
            "Een middel, geen doel: een ontmoetingsactiviteit telt mee als ze bijdraagt aan "
            "minder eenzaamheid (M1) of een sterker netwerk (M3).",
        ),
        DemoTerm(
            "Mantelzorger",
            "Iemand die langdurig en onbetaald zorgt voor een naaste, en recht heeft op een "
            "jaarlijkse waardering.",
            "Iedereen die zorgt voor een naaste, ook jonge mantelzorgers en buren.",
            "Ik zorg gewoon voor mijn moeder; dat noem ik geen mantelzorg.",
            None,
        ),
    ),
    results=(
        DemoResult(
            "M1",
            "Over 3 jaar voelen minder inwoners zich (zeer) ernstig eenzaam.",
            ResultType.SUBSTANTIVE,
            "Inwoners van 19 jaar en ouder, in het bijzonder 75-plussers",
            "Hoogste prioriteit: eenzaamheid raakt gezondheid, meedoen en de vraag naar zorg. "
            "Het coalitieprogramma noemt het als eerste opgave.",
            (
                DemoIndicator(
                    "Aandeel inwoners dat zich (zeer) ernstig eenzaam voelt",
                    "% van 19+",
                    Direction.LOWER,
                    "GGD Gezondheidsmonitor en eigen inwonerspeiling",
                    "11",
                    date(2019, 1, 1),
                    "9",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 10, 1), "12"),
                        DemoMeasurement(
                            date(2021, 10, 1),
                            "14",
                            "Tijdens de lockdowns stopten bijna alle "
                            "ontmoetingsactiviteiten. Maatjes belden en "
                            "wandelden wel door; hun deelnemers scoorden beter "
                            "dan gemiddeld.",
                        ),
                        DemoMeasurement(date(2022, 10, 1), "11"),
                    ),
                    definition="Aandeel met een score van 9 of hoger op de "
                    "eenzaamheidsschaal van de GGD-monitor.",
                ),
            ),
        ),
        DemoResult(
            "M2",
            "Over 3 jaar kunnen mantelzorgers hun zorgtaken volhouden en voelen ze zich niet "
            "overbelast.",
            ResultType.SUBSTANTIVE,
            "Mantelzorgers",
            "Als mantelzorgers uitvallen, is vaak direct dure zorg nodig. Hier zijn de "
            "belangen van gemeente en inwoners het meest gelijk.",
            (
                DemoIndicator(
                    "Aandeel mantelzorgers dat zich zwaar belast of overbelast voelt",
                    "%",
                    Direction.LOWER,
                    "GGD Gezondheidsmonitor en mantelzorgpeiling",
                    "14",
                    date(2019, 1, 1),
                    "11",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 10, 1), "15"),
                        DemoMeasurement(
                            date(2021, 10, 1),
                            "17",
                            "Dagbesteding en respijtzorg lagen maanden stil; "
                            "mantelzorgers vingen alles zelf op.",
                        ),
                        DemoMeasurement(date(2022, 10, 1), "13"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "M3",
            "Over 3 jaar kunnen meer inwoners voor hulp in het dagelijks leven terugvallen op "
            "familie, vrienden of buurtgenoten.",
            ResultType.SUBSTANTIVE,
            "Alle volwassen inwoners",
            "Een sterk netwerk voorkomt dat kleine vragen bij professionals terechtkomen.",
            (
                DemoIndicator(
                    "Aandeel volwassenen dat voor hulp kan terugvallen op familie, vrienden of "
                    "buurtgenoten",
                    "%",
                    Direction.HIGHER,
                    "Inwonerspeiling Kampen",
                    "72",
                    date(2019, 1, 1),
                    "78",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 3, 1), "73"),
                        DemoMeasurement(
                            date(2021, 3, 1),
                            "76",
                            "Tijdens corona deden buren meer boodschappen voor "
                            "elkaar. De vraag is of dat blijft.",
                        ),
                        DemoMeasurement(date(2022, 3, 1), "74"),
                    ),
                ),
            ),
        ),
        DemoResult(
            "M4",
            "Over 3 jaar weten inwoners die hulp nodig hebben waar ze terecht kunnen.",
            ResultType.SUBSTANTIVE,
            "Inwoners met een vraag over zorg, welzijn of geld",
            "Het coalitieprogramma zegt: 'Wie hulp nodig heeft, weet die nog niet altijd te "
            "vinden.' Er is nog geen goede meting; voorstel is een vraag toe te voegen aan de "
            "inwonerspeiling.",
        ),
        DemoResult(
            "M5",
            "Over 3 jaar zetten meer inwoners zich in als vrijwilliger, ook inwoners in een "
            "kwetsbare positie.",
            ResultType.SUBSTANTIVE,
            "Inwoners, in het bijzonder jongeren en inwoners met een beperking",
            "Vrijwilligerswerk is meedoen én een netwerk opbouwen; het raakt M1 en M3.",
            (
                DemoIndicator(
                    "Aandeel inwoners dat vrijwilligerswerk doet",
                    "% van 19+",
                    Direction.HIGHER,
                    "GGD Gezondheidsmonitor en eigen inwonerspeiling",
                    "34",
                    date(2019, 1, 1),
                    "36",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 10, 1), "33"),
                        DemoMeasurement(date(2021, 10, 1), "29"),
                        DemoMeasurement(date(2022, 10, 1), "32"),
                    ),
                ),
            ),
        ),
    ),
    activities=(
        DemoActivity(
            "Maatjesproject",
            "Een vrijwillig maatje bezoekt een inwoner die weinig contacten heeft, een jaar "
            "lang elke week. Samen wandelen, koffie drinken of naar een activiteit gaan, met "
            "als doel dat de inwoner daarna zelf weer contacten heeft.",
            "Welzijn Kampen",
            "Inwoners die sociaal geïsoleerd zijn",
            "52.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "M1",
                    Contribution.LARGE,
                    "Een vast maatje doorbreekt het isolement en helpt de stap naar "
                    "andere contacten te zetten.",
                ),
                DemoLink(
                    "M3",
                    Contribution.MEDIUM,
                    "Het maatje helpt het eigen netwerk weer op te bouwen.",
                ),
            ),
            working_elements=(
                (
                    "Een zorgvuldige match op interesses en karakter",
                    "Movisie, werkzame elementen maatjesprojecten",
                ),
                ("Een duidelijk einddoel en een afgesproken einde", None),
                ("Begeleiding van de maatjes door een vaste coördinator", None),
            ),
            quality=(
                (
                    QualityCategory.TRAINING,
                    "Basistraining voor nieuwe maatjes over eenzaamheid en grenzen stellen.",
                ),
                (
                    QualityCategory.ORGANISATION,
                    "Coördinator met vaste uren, zodat een match binnen vier weken rond is.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Lopende matches",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "45",
                    date(2019, 1, 1),
                    "70",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "51"),
                        DemoMeasurement(date(2021, 1, 1), "58"),
                        DemoMeasurement(date(2022, 1, 1), "66"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Deelnemers met meer sociale contacten na 6 maanden",
                    "%",
                    Direction.HIGHER,
                    "Korte vragenlijst na 6 maanden",
                    "55",
                    date(2019, 1, 1),
                    "70",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 6, 1), "61"),
                        DemoMeasurement(
                            date(2021, 6, 1),
                            "64",
                            "“Ik ging nergens meer heen. Nu ga ik elke dinsdag "
                            "mee naar het koor”, vertelt een weduwnaar van 81.",
                        ),
                        DemoMeasurement(date(2022, 6, 1), "68"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "Sterkste bijdrage aan M1, de hoogste prioriteit. Ondanks de "
                "taakstelling van € 4,3 miljoen extra coördinatie-uren, zodat er geen "
                "wachtlijst ontstaat.",
            ),
        ),
        DemoActivity(
            "Ontmoeting in de buurthuizen",
            "Wekelijkse koffie-inloop en activiteiten in de buurthuizen, met een sociaal "
            "werker die bezoekers kent en nieuwe bezoekers persoonlijk uitnodigt. Sinds 2020 "
            "samengevoegd met de bingomiddag.",
            "Welzijn Kampen",
            "Inwoners die weinig contacten hebben",
            "21.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "M1",
                    Contribution.SMALL,
                    "Alleen als middel: het helpt tegen eenzaamheid als de sociaal werker "
                    "eenzame inwoners gericht uitnodigt en zo nodig een maatje regelt.",
                ),
                DemoLink(
                    "M3",
                    Contribution.SMALL,
                    "Buurtgenoten leren elkaar kennen en helpen elkaar daarna ook thuis.",
                ),
            ),
            working_elements=(
                ("Persoonlijke uitnodiging via buren, huisarts of wijkteam", None),
                ("Een gastvrouw of gastheer die nieuwe bezoekers opvangt", None),
            ),
            indicators=(
                DemoIndicator(
                    "Bezoekers per week, alle buurthuizen samen",
                    "aantal",
                    Direction.HIGHER,
                    "Turflijsten Welzijn Kampen",
                    "140",
                    date(2019, 1, 1),
                    "150",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "132"),
                        DemoMeasurement(date(2021, 1, 1), "40"),
                        DemoMeasurement(date(2022, 1, 1), "118"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Nieuwe bezoekers die via een persoonlijke uitnodiging komen",
                    "%",
                    Direction.HIGHER,
                    "Intakeformulier Welzijn Kampen",
                    "10",
                    date(2019, 1, 1),
                    "40",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "18"),
                        DemoMeasurement(date(2021, 1, 1), "25"),
                        DemoMeasurement(date(2022, 1, 1), "34"),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
            decision=(
                Decision.CONTINUE,
                "Doel of middel? Middel. Bij de taakstelling zijn bingomiddag en "
                "koffie-inloop samengevoegd (besparing € 9.000); de activiteit blijft "
                "alleen bestaan zolang ze eenzame inwoners bereikt.",
            ),
        ),
        DemoActivity(
            "Mantelzorgondersteuning",
            "Een mantelzorgconsulent voert gesprekken met mantelzorgers, regelt respijtzorg "
            "en organiseert lotgenotengroepen. De jaarlijkse mantelzorgwaardering loopt via "
            "de consulent.",
            "Welzijn Kampen",
            "Mantelzorgers",
            "96.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "M2",
                    Contribution.LARGE,
                    "Wie op tijd ontlast wordt en zich gesteund voelt, houdt de zorg langer vol.",
                ),
            ),
            working_elements=(
                ("Een persoonlijk gesprek over de balans tussen zorg, werk en eigen leven", None),
                ("Respijtzorg die snel en zonder aanvraag te regelen is", None),
            ),
            quality=(
                (
                    QualityCategory.METHOD,
                    "Een korte vragenlijst om overbelasting vroeg te "
                    "zien, ook door de POH van de huisarts.",
                ),
                (
                    QualityCategory.ORGANISATION,
                    "Afspraken met huisartsen om mantelzorgers actief door te verwijzen.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Mantelzorgers in beeld bij de consulent",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "420",
                    date(2019, 1, 1),
                    "600",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "455"),
                        DemoMeasurement(date(2021, 1, 1), "510"),
                        DemoMeasurement(date(2022, 1, 1), "572"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel mantelzorgers dat de ondersteuning een 7 of hoger geeft",
                    "%",
                    Direction.HIGHER,
                    "Mantelzorgpeiling",
                    "78",
                    date(2019, 1, 1),
                    "85",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 11, 1), "80"),
                        DemoMeasurement(date(2021, 11, 1), "76"),
                        DemoMeasurement(date(2022, 11, 1), "83"),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
            decision=(
                Decision.CONTINUE,
                "Blijft, met een andere verdeling: de cadeaubon voor iedere mantelzorger "
                "is vervangen door een mantelzorgdag en een persoonlijk gesprek; het "
                "verschil gaat naar respijtzorg.",
            ),
        ),
        DemoActivity(
            "Welzijn op Recept",
            "Huisartsen en POH'ers verwijzen inwoners met psychosociale klachten, zoals "
            "somberheid of eenzaamheid, naar een welzijnscoach. Die zoekt samen met de inwoner "
            "naar een activiteit die past.",
            "Huisartsen Kampen",
            "Inwoners met psychosociale klachten",
            "45.000",
            ActivityStatus.NEW,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink(
                    "M1",
                    Contribution.MEDIUM,
                    "De huisarts ziet eenzame inwoners die nergens anders in beeld zijn.",
                ),
                DemoLink(
                    "M4", Contribution.MEDIUM, "De huisarts wordt een route naar het welzijnswerk."
                ),
            ),
            working_elements=(
                (
                    "Een warme verwijzing: de welzijnscoach belt binnen een week",
                    "Huisarts en Wetenschap, essentiële bestanddelen van Welzijn op Recept",
                ),
                ("De inwoner kiest zelf de activiteit", None),
                ("Terugkoppeling aan de huisarts", None),
            ),
            quality=(
                (
                    QualityCategory.ORGANISATION,
                    "Vast overleg tussen welzijnscoach en POH per huisartsenpraktijk.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Verwijzingen door huisartsen en POH",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "0",
                    date(2019, 1, 1),
                    "200",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "64"),
                        DemoMeasurement(date(2021, 1, 1), "112"),
                        DemoMeasurement(date(2022, 1, 1), "171"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Aandeel deelnemers dat zich na 3 maanden beter voelt",
                    "%",
                    Direction.HIGHER,
                    "Korte vragenlijst na 3 maanden",
                    "60",
                    date(2019, 6, 1),
                    "75",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 6, 1), "66"),
                        DemoMeasurement(date(2021, 6, 1), "69"),
                        DemoMeasurement(date(2022, 6, 1), "72"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
            decision=(
                Decision.STRENGTHEN,
                "Bereikt eenzame inwoners die niet naar het buurthuis komen; uitbreiden "
                "naar alle huisartsenpraktijken.",
            ),
        ),
        DemoActivity(
            "Vrijwilligerscentrale",
            "Een online vacaturebank voor vrijwilligerswerk en persoonlijke bemiddeling voor "
            "inwoners die meer hulp nodig hebben om een plek te vinden.",
            "Welzijn Kampen",
            "Inwoners die vrijwilligerswerk zoeken",
            "41.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "M5",
                    Contribution.MEDIUM,
                    "Wie hulp krijgt bij het vinden van een plek, begint eerder aan "
                    "vrijwilligerswerk.",
                ),
                DemoLink(
                    "M3", Contribution.SMALL, "Vrijwilligers bouwen via hun werk een netwerk op."
                ),
            ),
            working_elements=(
                ("Persoonlijke bemiddeling voor inwoners in een kwetsbare positie", None),
            ),
            indicators=(
                DemoIndicator(
                    "Bemiddelingen naar vrijwilligerswerk",
                    "aantal",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "180",
                    date(2019, 1, 1),
                    "220",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "176"),
                        DemoMeasurement(date(2021, 1, 1), "102"),
                        DemoMeasurement(date(2022, 1, 1), "151"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
                DemoIndicator(
                    "Bemiddelde inwoners met een beperking of uitkering",
                    "%",
                    Direction.HIGHER,
                    "Registratie Welzijn Kampen",
                    "15",
                    date(2019, 1, 1),
                    "30",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "17"),
                        DemoMeasurement(date(2021, 1, 1), "24"),
                        DemoMeasurement(date(2022, 1, 1), "27"),
                    ),
                    rba_question=RbaQuestion.HOW_WELL,
                ),
            ),
            decision=(
                Decision.PHASE_OUT,
                "Taakstelling: de eigen vacaturebank stopt, vacatures gaan naar de "
                "regionale website. Alleen de persoonlijke bemiddeling voor inwoners in "
                "een kwetsbare positie blijft.",
            ),
        ),
        DemoActivity(
            "Levende Sociale Kaart",
            "Een actueel overzicht van hulp, activiteiten en vrijwilligers in Kampen, "
            "bijgehouden door verkenners die op vindplaatsen komen: bibliotheek, kerk, "
            "supermarkt en sportclub. Cliëntondersteuners van MEE gebruiken het om inwoners "
            "wegwijs te maken.",
            "MEE IJsseloevers",
            "Inwoners en professionals met een vraag over ondersteuning",
            "35.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink(
                    "M4",
                    Contribution.LARGE,
                    "Als professionals en inwoners het aanbod kennen, komen vragen sneller "
                    "op de goede plek.",
                ),
            ),
            working_elements=(
                ("Verkenners die zelf op vindplaatsen komen, niet alleen een website", None),
            ),
            quality=(
                (
                    QualityCategory.ORGANISATION,
                    "Elk kwartaal een controle of de informatie nog klopt.",
                ),
            ),
            indicators=(
                DemoIndicator(
                    "Raadplegingen van de sociale kaart per maand",
                    "aantal",
                    Direction.HIGHER,
                    "Websitestatistiek",
                    "900",
                    date(2019, 1, 1),
                    "1.500",
                    date(2022, 12, 31),
                    (
                        DemoMeasurement(date(2020, 1, 1), "1.050"),
                        DemoMeasurement(date(2021, 1, 1), "1.380"),
                        DemoMeasurement(date(2022, 1, 1), "1.240"),
                    ),
                    rba_question=RbaQuestion.HOW_MUCH,
                ),
            ),
        ),
    ),
    reflections=(
        DemoReflection(
            date(2021, 11, 25),
            "Maatjes en Welzijn op Recept bereiken inwoners die eerder buiten beeld bleven. "
            "De discussie over de bingo heeft geholpen: ontmoeting is nu een middel met een "
            "doel, en dat merken bezoekers aan de persoonlijke uitnodiging.",
            "We weten niet of inwoners beter de weg vinden (M4): daar meten we nog niets. "
            "Het aantal vrijwilligers is na corona nog niet terug op het oude niveau.",
            (
                DemoAction(
                    "Een vraag over 'weten waar je terecht kunt' opnemen in de "
                    "inwonerspeiling van 2022",
                    "Gemeente Kampen, onderzoeker",
                    date(2022, 3, 1),
                    done=True,
                ),
                DemoAction(
                    "Met de Cliëntenraad Sociaal Domein nagaan waarom inwoners de "
                    "sociale kaart minder gebruiken",
                    "MEE IJsseloevers, cliëntondersteuner",
                    date(2022, 6, 1),
                ),
            ),
        ),
    ),
    # No inwoners at this table yet: the theme page warns about it.
    table=(
        DemoTableMember(
            "Gemeente Kampen, beleid participatie",
            "Gemeente Kampen",
            Perspective.MUNICIPALITY,
            "Minder eenzaamheid en een sterkere sociale basis in de wijken.",
            "Beleidsadviseur; bereidt besluiten voor.",
        ),
        DemoTableMember(
            "Welzijn Kampen",
            "Welzijn Kampen",
            Perspective.PROVIDER,
            "Ontmoeting als middel, niet als doel.",
            "Manager welzijnswerk; zegt inzet toe.",
        ),
    ),
    decided=("college", date(2019, 11, 12)),
    step_status={
        0: StepStatus.DONE,
        1: StepStatus.DONE,
        2: StepStatus.DONE,
        3: StepStatus.DONE,
        4: StepStatus.DONE,
        5: StepStatus.DONE,
        6: StepStatus.IN_PROGRESS,
    },
    step_notes={
        1: "In sessie 1 (maart 2019) ging het lang over de bingomiddag: is dat een doel of "
        "een middel? Dat gesprek leidde tot de gezamenlijke ambitie.",
        3: "Elke ontmoetingsactiviteit moet aan M1 of M3 gekoppeld zijn; anders is het geen "
        "middel maar een doel op zich.",
        6: "Besluiten genomen in de evaluatiesessie van november 2021, met de Cliëntenraad "
        "Sociaal Domein erbij. Over de Levende Sociale Kaart besluiten we na de "
        "inwonerspeiling van 2022.",
    },
)

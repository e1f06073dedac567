"""Kampen's figures as the indicator work shows them: which indicators are statutory BBV
beleidsindicatoren and how often each gets a new meting, the latest figures, what the
activities cost per year against their budget, and one open request to a partner.
Every number is invented for the demo."""

from datetime import date
from decimal import Decimal

from app.demo.content import DemoMeasurement
from app.results.models import Frequency

# Indicator name -> BBV number (app/results/catalogue.py)
BBV = {
    "Netto arbeidsparticipatie": 24,
    "Werkloze jongeren (16-22 jaar)": 26,
    "Jongeren met jeugdhulp": 29,
    "Vroegtijdig schoolverlaters zonder startkwalificatie": 19,
}

# Indicator name -> how often a new meting is expected (yearly unless named here)
FREQUENCY = {
    "Gezinnen ondersteund": Frequency.QUARTERLY,
    "Matches maatje en werkhervatter": Frequency.HALF_YEARLY,
    "Huisbezoeken na een signaal": Frequency.QUARTERLY,
}

# Measurements of the running Jong cycle published after the hand-over
LATEST = {
    "Jongeren met jeugdhulp": (
        DemoMeasurement(
            date(2025, 12, 31),
            "11,8",
            "CBS-cijfer over 2025: de daling zet door, vooral bij jeugdhulp zonder verblijf.",
        ),
    ),
}

# Actual spending as a share of the budget, by year; a year not here is still running.
SPENT_SHARE = {
    2019: (Decimal("0.98"), None),
    2020: (Decimal("0.91"), "Minder bijeenkomsten en huisbezoeken door de coronamaatregelen."),
    2021: (Decimal("0.95"), None),
    2022: (Decimal("1.03"), "Extra inzet na de coronajaren; overschrijding binnen de afspraak."),
    2023: (Decimal("0.99"), None),
    2024: (Decimal("1.02"), None),
    2025: (Decimal("0.97"), None),
}
# A few activities spent differently from the rest (activity name -> share per year)
EXCEPTIONS = {
    "Home-Start: vrijwilligers bij gezinnen thuis": {2024: Decimal("0.88")},
    "Werkfit-trajecten": {2021: Decimal("1.12"), 2022: Decimal("1.08")},
}

REQUEST_PARTNER = "De Kern"
REQUEST_MESSAGE = (
    "Voor de voortgangsrapportage aan de raad hebben we de nieuwe cijfers van het maatjesproject "
    "nodig: het aantal matches, hoeveel deelnemers na zes maanden nog werken en wat het project "
    "in 2022 werkelijk kostte. Vul ook het verhaal achter de cijfers in als je dat hebt."
)
REQUEST_DAYS = 14
# A known token, so `kompas demo` can print the link every time (demo only, like its password)
REQUEST_TOKEN = "demo-de-kern-cijfers-2025"

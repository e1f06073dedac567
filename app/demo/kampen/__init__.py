"""Gemeente Kampen: the demo organisation, with fictional people and fictional figures.

The themes and partners follow the Kampen case in Movisie's "Het Kwaliteitskompas helpt
prioriteren" (2019); every number is invented for the demo.
"""

from app.demo.content import DemoPartner
from app.demo.kampen.jong import JONG
from app.demo.kampen.meedoen import MEEDOEN
from app.demo.kampen.vitaal import VITAAL
from app.demo.kampen.werk import WERK
from app.organisations.models import PartnerType

NAME = "Gemeente Kampen"
SLUG = "kampen"

PARTNERS = (
    DemoPartner(
        "Gemeente Kampen",
        PartnerType.MUNICIPALITY,
        "Beleid sociaal domein, Werk & Inkomen, subsidieverlening.",
    ),
    DemoPartner(
        "De Kern",
        PartnerType.PROVIDER,
        "Maatschappelijk werk, schoolmaatschappelijk werk en vrijwillige maatjes.",
    ),
    DemoPartner(
        "Welzijn Kampen",
        PartnerType.PROVIDER,
        "Welzijnswerk: jongerenwerk, ouderenadvies, vrijwilligerscentrale, mantelzorg.",
    ),
    DemoPartner(
        "MEE IJsseloevers",
        PartnerType.PROVIDER,
        "Cliëntondersteuning voor mensen met een beperking.",
    ),
    DemoPartner("IJsselheem", PartnerType.HEALTHCARE, "Wonen, zorg en welzijn voor ouderen."),
    DemoPartner(
        "CJG Kampen",
        PartnerType.PROVIDER,
        "Centrum voor Jeugd en Gezin, op scholen en peuterspeelzalen.",
    ),
    DemoPartner(
        "Home-Start Kampen",
        PartnerType.PROVIDER,
        "Getrainde vrijwilligers die gezinnen met jonge kinderen bezoeken.",
    ),
    DemoPartner(
        "Huisartsen Kampen", PartnerType.HEALTHCARE, "Huisartsen en praktijkondersteuners (POH)."
    ),
    DemoPartner(
        "Cliëntenraad Sociaal Domein",
        PartnerType.RESIDENTS,
        "Inwoners en ervaringsdeskundigen die meedenken over beleid.",
    ),
    DemoPartner(
        "Movisie",
        PartnerType.SCIENCE,
        "Kennisinstituut sociaal domein; procesbegeleiding van het Kwaliteitskompas.",
    ),
)

THEMES = (JONG, WERK, MEEDOEN, VITAAL)

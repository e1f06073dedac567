"""The demo accounts: one per role, fictional people, one shared password."""

from dataclasses import dataclass

from app.organisations.models import Role

PASSWORD = "kompas-demo-2026"
# The demo's beheerders sign in with a second factor, as every beheerder does; their app's key
# is this one (`kompas demo` prints it, `kompas demo-code` the code of the moment).
SECOND_FACTOR_KEY = "KOMPASDEMOTWEESTAPSVERIFICATIEAB"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    memberships: tuple[tuple[str, Role, str | None], ...]  # (organisation slug, role, partner)


ACCOUNTS = (
    DemoAccount("beheerder@kampen.example.org", "Sanne Visser", (("kampen", Role.ADMIN, None),)),
    DemoAccount(
        "procesbegeleider@kampen.example.org",
        "Joost Mulder",
        (("kampen", Role.FACILITATOR, None), ("huizen", Role.FACILITATOR, None)),
    ),
    DemoAccount(
        "partner@kampen.example.org", "Fatima el Amrani", (("kampen", Role.PARTNER, "De Kern"),)
    ),
    DemoAccount("lezer@kampen.example.org", "Pieter Bakker", (("kampen", Role.READER, None),)),
    DemoAccount("beheerder@huizen.example.org", "Lotte Smit", (("huizen", Role.ADMIN, None),)),
)

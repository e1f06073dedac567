"""Enumerations whose members carry their Dutch label, stored as plain strings."""

from enum import StrEnum
from typing import Any, Self

import sqlalchemy as sa

_REGISTRY: dict[str, type["Choice"]] = {}


class Choice(StrEnum):
    """Declare members as `NAME = "value", "Dutch label"`; the value is what is stored.

    Every subclass is registered by name, so templates can list its options:
    `choices("ResultType")`.
    """

    label: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def options(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class Perspective(Choice):
    """The three perspectives at the centre of the Kwaliteitskompas (Movisie 2019), and "anders"
    for the rest. Whoever takes part (at the table of a theme, in a session) has one."""

    MUNICIPALITY = "municipality", "Gemeente"
    PROVIDER = "provider", "Aanbieder"
    RESIDENT = "resident", "Inwoner of doelgroep"
    OTHER = "other", "Anders"


def options_of(name: str) -> list[tuple[str, str]]:
    return _REGISTRY[name].options()


def choice_type(enum: type[Choice]) -> sa.Enum:
    """A VARCHAR column holding the member's value (no database enum type to migrate)."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=max(len(m.value) for m in enum),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )

"""Column helpers shared by the domain models."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum
from sqlalchemy.orm import mapped_column


def enum_column(
    enum: type[StrEnum], *, name: str | None = None, length: int = 32, **kwargs: Any
) -> Any:
    """A StrEnum stored as its value in a VARCHAR with a CHECK constraint (portable).

    `name` names the constraint when one table has two columns of the same enum; `length` is
    for enums with a value longer than the usual 32 characters.
    """
    return mapped_column(
        Enum(
            enum,
            name=name or enum.__name__.lower(),
            native_enum=False,
            create_constraint=True,
            length=length,
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        ),
        **kwargs,
    )

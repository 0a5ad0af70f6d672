"""Column helpers shared by the domain models."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum
from sqlalchemy.orm import mapped_column


def enum_column(enum: type[StrEnum], **kwargs: Any) -> Any:
    """A StrEnum stored as its value in a VARCHAR with a CHECK constraint (portable)."""
    return mapped_column(
        Enum(
            enum,
            name=enum.__name__.lower(),
            native_enum=False,
            create_constraint=True,
            length=32,
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        ),
        **kwargs,
    )

"""The dates a period of the quality follow-up may span: wide enough for any school year the
service will see, narrow enough that a day after the end is still a date (a period's bounds are
computed from its dates, and `date.max + 1 day` does not exist)."""

from datetime import date

TIDIGAST = date(2000, 1, 1)
SENAST = date(2099, 12, 31)
MEDDELANDE = f"Ett datum från {TIDIGAST} till {SENAST}."


def fel(datum: dict[str, date | None]) -> list[dict[str, str]]:
    """An error per named date outside the span, for InvalidInput."""
    return [
        {"plats": plats, "meddelande": MEDDELANDE}
        for plats, dag in datum.items()
        if dag is not None and not TIDIGAST <= dag <= SENAST
    ]

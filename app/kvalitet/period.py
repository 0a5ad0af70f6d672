"""The statistics' period: Europe/Stockholm days from and through, and the UTC bounds that
compare times with it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_

from app.core.time import SKOLTID


@dataclass(frozen=True, slots=True)
class Period:
    """Dates from and through, as Europe/Stockholm days; `start`/`slut` bound them in UTC."""

    fran: date
    till: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.fran, time(), tzinfo=SKOLTID).astimezone(UTC)

    @property
    def slut(self) -> datetime:
        return datetime.combine(self.till + timedelta(days=1), time(), tzinfo=SKOLTID).astimezone(
            UTC
        )


def i_perioden(kolumn: Any, period: Period) -> ColumnElement[bool]:
    return and_(kolumn >= period.start, kolumn < period.slut)

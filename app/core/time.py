"""One clock for the whole service: aware datetimes in UTC, school days in Europe/Stockholm."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SKOLTID = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the schools are (API.md: dates are Europe/Stockholm school days)."""
    return datetime.now(SKOLTID).date()

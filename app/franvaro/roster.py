"""The roster from a school information system: school units (SS 12000 Organisation) and pupils
with their guardians (SS 12000 Person), as SS12000.md maps them."""

from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.franvaro.intake import Utfall


def import_organisations(
    session: Session, principal: Principal, kalla: str, raw: list[Any]
) -> Utfall:
    raise NotImplementedError


def import_persons(session: Session, principal: Principal, kalla: str, raw: list[Any]) -> Utfall:
    raise NotImplementedError

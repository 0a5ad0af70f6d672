import uuid
from datetime import datetime

from app.audit.chain import Atgard, Utfall
from app.kit.schemas import ResponseModel


class AuditRead(ResponseModel):
    id: int
    lopnummer: int
    tidpunkt: datetime
    aktor_typ: str
    aktor_id: uuid.UUID
    roll: str
    organisation: str | None
    atgard: Atgard
    resurs_typ: str
    resurs_id: str | None
    elev_id: uuid.UUID | None
    rattslig_grund: str | None
    utfall: Utfall
    request_id: str | None
    hash: str


class BrottRead(ResponseModel):
    rad_id: int | None
    lopnummer: int
    orsak: str


class VerifieringRead(ResponseModel):
    kommun_id: uuid.UUID
    hel: bool
    antal_rader: int
    forsta_brott: BrottRead | None


class AtkomstRead(ResponseModel):
    """One access to a pupil's data: who, in what role and organisation, when, what and why."""

    tidpunkt: datetime
    aktor_typ: str
    aktor_id: uuid.UUID
    aktor_namn: str | None
    roll: str
    organisation: str | None
    atgard: Atgard
    resurs_typ: str
    resurs_id: str | None
    rattslig_grund: str | None
    utfall: Utfall

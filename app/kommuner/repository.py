import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.kommuner.models import Kommun


def get_by_namn(session: Session, namn: str) -> Kommun | None:
    return session.scalars(select(Kommun).where(Kommun.namn == namn)).first()


def get(session: Session, kommun_id: uuid.UUID) -> Kommun | None:
    return session.get(Kommun, kommun_id)


def add(session: Session, *, namn: str, kommunkod: str | None = None) -> Kommun:
    kommun = Kommun(namn=namn, kommunkod=kommunkod)
    session.add(kommun)
    session.flush()
    return kommun

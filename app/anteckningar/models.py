import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column


class Anteckningsstatus(StrEnum):
    utkast = "utkast"
    signerad = "signerad"


class Anteckning(IdMixin, TimestampMixin, VersionMixin, Base):
    """A documentation entry in a pupil's matter (S 8: "Skolkurator ska dokumentera elevärenden").

    A draft is its author's working text until signed. A signed entry is never changed: the
    service refuses with 409 and the database refuses UPDATE and DELETE of a signed row
    (migration 20261125_kvalitet). A correction is a new entry whose `rattar_id` names the one it
    corrects.
    """

    __tablename__ = "anteckningar"
    __table_args__ = (Index("ix_anteckningar_elev_id_id", "elev_id", "id"),)

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id"))
    # The pupil's school when the entry was written.
    skola_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skolor.id"))
    arende_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("arenden.id"), index=True)
    forfattare_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anvandare.id"), index=True)
    text: Mapped[str] = mapped_column(String(20000))
    status: Mapped[Anteckningsstatus] = enum_column(Anteckningsstatus)
    signerad: Mapped[datetime | None]
    rattar_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("anteckningar.id"), index=True)

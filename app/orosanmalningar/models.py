import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.roles import Organisation, Roll
from app.db.base import Base, IdMixin
from app.db.types import enum_column


class Orosanmalan(IdMixin, Base):
    """A report of concern about a pupil made to social services (T 5: "Skolpersonalens ansvar att
    genast anmäla till socialtjänsten … påverkas inte av pågående insats"), as the school's record
    of it.

    Immutable once registered: the service has no route that changes or removes one, and the
    database refuses UPDATE and DELETE on the table (migration 20261125_kvalitet). The reporter's
    role and organisation are kept as they were when the report was made.
    """

    __tablename__ = "orosanmalningar"
    __table_args__ = (
        Index("ix_orosanmalningar_elev_id_id", "elev_id", "id"),
        Index("ix_orosanmalningar_kommun_id_datum", "kommun_id", "datum"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id"))
    # The pupil's school when the report was made, for the quality statistics.
    skola_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skolor.id"))
    anmald_av: Mapped[uuid.UUID] = mapped_column(ForeignKey("anvandare.id"), index=True)
    anmalare_roll: Mapped[Roll] = enum_column(Roll, name="anmalare_roll")
    anmalare_organisation: Mapped[Organisation] = enum_column(
        Organisation, name="anmalare_organisation"
    )
    datum: Mapped[date]
    mottagande_socialtjanst: Mapped[str] = mapped_column(String(200))
    oro: Mapped[str] = mapped_column(String(8000))
    registrerad: Mapped[datetime]

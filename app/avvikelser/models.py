import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column


class Avvikelse(IdMixin, TimestampMixin, VersionMixin, Base):
    """A collaboration problem between two or more agencies that cannot be solved locally or is
    a matter of principle, reported to the regional BUS secretariat (S, avvikelserapportering).

    It names agencies, not pupils: the description needs no pupil identity. `skola_id` is the
    school it concerns, if any; the team's reports may concern the kommun as a whole.
    """

    __tablename__ = "avvikelser"
    __table_args__ = (
        Index("ix_avvikelser_kommun_id_id", "kommun_id", "id"),
        Index("ix_avvikelser_kommun_id_datum", "kommun_id", "datum"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    skola_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("skolor.id"), index=True)
    rapporterad_av: Mapped[uuid.UUID] = mapped_column(ForeignKey("anvandare.id"), index=True)
    rapporterande_verksamhet: Mapped[Verksamhet] = enum_column(
        Verksamhet, name="rapporterande_verksamhet"
    )
    datum: Mapped[date]
    beskrivning: Mapped[str] = mapped_column(String(4000))
    kan_ej_losas_lokalt: Mapped[bool]
    principiell: Mapped[bool]
    status: Mapped[Avvikelsestatus] = enum_column(Avvikelsestatus)
    rapporterad_bus: Mapped[date | None]
    svar: Mapped[str | None] = mapped_column(String(4000))
    besvarad: Mapped[date | None]
    avslutad: Mapped[date | None]
    avslutskommentar: Mapped[str | None] = mapped_column(String(2000))
    berorda: Mapped[list["AvvikelseVerksamhet"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="AvvikelseVerksamhet.verksamhet"
    )

    @property
    def berorda_verksamheter(self) -> list[Verksamhet]:
        return sorted(rad.verksamhet for rad in self.berorda)


class AvvikelseVerksamhet(Base):
    """One agency a deviation concerns; a table of its own so lists filter on it in SQL."""

    __tablename__ = "avvikelse_verksamheter"

    avvikelse_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("avvikelser.id", ondelete="CASCADE"), primary_key=True
    )
    verksamhet: Mapped[Verksamhet] = enum_column(Verksamhet, primary_key=True)

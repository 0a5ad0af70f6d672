import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Double, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column
from app.kvalitet.figurer import Saknas
from app.kvalitet.mal.indikatorer import Indikator


class Malniva(StrEnum):
    """Whose goal: a school's (S 3, 9) or the skolsocialt team's (T 4.1)."""

    skola = "skola"
    team = "team"


class Riktning(StrEnum):
    """Whether the outcome meets the target at or above it, or at or below it."""

    minst = "minst"
    hogst = "hogst"


class Utfallskalla(StrEnum):
    statistik = "statistik"
    manuell = "manuell"


class Kvalitetsmal(IdMixin, TimestampMixin, VersionMixin, Base):
    """One goal of the quality cycle for a school or the team and a period (S 9): the goal, its
    indicator and target, the outcome, the analysis and the improvement actions."""

    __tablename__ = "kvalitetsmal"
    __table_args__ = (
        Index("ix_kvalitetsmal_kommun_id_id", "kommun_id", "id"),
        CheckConstraint(
            "(niva = 'skola' AND skola_id IS NOT NULL) OR (niva = 'team' AND skola_id IS NULL)",
            name="niva_och_skola",
        ),
        CheckConstraint("period_till >= period_fran", name="period"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    niva: Mapped[Malniva] = enum_column(Malniva)
    skola_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("skolor.id"), index=True)
    period_fran: Mapped[date]
    period_till: Mapped[date]
    mal: Mapped[str] = mapped_column(String(2000))
    indikator: Mapped[Indikator] = enum_column(Indikator, length=40)
    indikator_beskrivning: Mapped[str | None] = mapped_column(String(500))
    malvarde: Mapped[float | None] = mapped_column(Double)
    riktning: Mapped[Riktning | None] = enum_column(Riktning)
    utfall: Mapped[float | None] = mapped_column(Double)
    utfall_kalla: Mapped[Utfallskalla | None] = enum_column(Utfallskalla)
    utfall_saknas: Mapped[Saknas | None] = enum_column(Saknas)
    utfall_beraknat: Mapped[datetime | None]
    analys: Mapped[str | None] = mapped_column(String(8000))
    skapad_av: Mapped[uuid.UUID]
    andrad_av: Mapped[uuid.UUID]
    atgarder: Mapped[list["Forbattringsatgard"]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="Forbattringsatgard.ordning",
        foreign_keys="Forbattringsatgard.mal_id",
    )


class Forbattringsatgard(IdMixin, Base):
    """An improvement action that follows from a goal's analysis (S 9: "Resultat och analys … ska
    ligga till grund för förbättringsåtgärder"). Carried into the next period, it names the goal
    it became (`overford_till_mal_id`), once."""

    __tablename__ = "forbattringsatgarder"

    mal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kvalitetsmal.id"), index=True)
    ordning: Mapped[int] = mapped_column(Integer)
    beskrivning: Mapped[str] = mapped_column(String(2000))
    overford_till_mal_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("kvalitetsmal.id"), unique=True
    )

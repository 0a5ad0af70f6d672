import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.arenden.enums import (
    Ansvarspart,
    Avslutsorsak,
    Fas,
    Insatsstatus,
    Insatstyp,
    Motestyp,
)
from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column

Text = String(4000)


class Arende(IdMixin, TimestampMixin, VersionMixin, Base):
    """One pupil's case with the skolsocialt team, from the school's application to closure (T 7).

    The application's fields are what the school wrote (T 7.1); the rest is the team's handling.
    `nasta_uppfoljning` is kept current from the plan and the follow-ups, so that overdue cases can
    be listed in SQL.
    """

    __tablename__ = "arenden"
    __table_args__ = (
        Index("ix_arenden_kommun_id_id", "kommun_id", "id"),
        Index("ix_arenden_kommun_id_fas", "kommun_id", "fas"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id"), index=True)
    ansokande_skola_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skolor.id"))
    ansokt_av: Mapped[uuid.UUID]
    fas: Mapped[Fas] = enum_column(Fas)
    orsak: Mapped[str] = mapped_column(Text)
    insatser_organisationsniva: Mapped[str] = mapped_column(Text)
    insatser_gruppniva: Mapped[str] = mapped_column(Text)
    insatser_individniva: Mapped[str] = mapped_column(Text)
    franvaro_beskrivning: Mapped[str] = mapped_column(String(2000))
    franvaro_procent: Mapped[float | None]
    franvaro_fran: Mapped[date | None]
    franvaro_till: Mapped[date | None]
    samtycke_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samtycken.id"))
    komplettering_saknas: Mapped[list[str] | None] = mapped_column(JSON)
    komplettering_begard: Mapped[datetime | None]
    komplettering_besvarad: Mapped[datetime | None]
    handlaggare_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("anvandare.id"), index=True)
    beviljat: Mapped[date | None]
    nasta_uppfoljning: Mapped[date | None]
    avslutsorsak: Mapped[Avslutsorsak | None] = enum_column(Avslutsorsak)
    avslutat: Mapped[datetime | None]
    vidmakthallande_plan: Mapped[str | None] = mapped_column(Text)
    vidmakthallande_ansvar: Mapped[str | None] = mapped_column(String(2000))
    vidmakthallande_uppfoljning: Mapped[date | None]
    moten: Mapped[list["Mote"]] = relationship(lazy="selectin", order_by="(Mote.datum, Mote.id)")


class ArendeFas(IdMixin, Base):
    """One phase change of a case: from, to, when, by whom and why. Never changed afterwards."""

    __tablename__ = "arende_faser"
    __table_args__ = (Index("ix_arende_faser_arende_id_tidpunkt", "arende_id", "tidpunkt"),)

    arende_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("arenden.id"))
    # None for the application itself, which opens the case in `ansokan`.
    fran: Mapped[Fas | None] = enum_column(Fas, name="fran_fas")
    till: Mapped[Fas] = enum_column(Fas, name="till_fas")
    tidpunkt: Mapped[datetime]
    utford_av: Mapped[uuid.UUID]
    kommentar: Mapped[str | None] = mapped_column(String(2000))
    # What the step brought: the completion asked for, the handläggare, the closure reason.
    uppgifter: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Mote(IdMixin, TimestampMixin, VersionMixin, Base):
    """A meeting in the case; the team writes agenda and minutes (T 7.3, 7.5)."""

    __tablename__ = "arende_moten"

    arende_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("arenden.id"), index=True)
    typ: Mapped[Motestyp] = enum_column(Motestyp)
    datum: Mapped[date]
    plats: Mapped[str | None] = mapped_column(String(200))
    deltagare: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    dagordning: Mapped[str | None] = mapped_column(Text)
    minnesanteckningar: Mapped[str | None] = mapped_column(String(20000))
    skapad_av: Mapped[uuid.UUID]


class Kartlaggning(IdMixin, TimestampMixin, VersionMixin, Base):
    """The team's in-depth mapping of the pupil's situation (T 7.4), one per case."""

    __tablename__ = "kartlaggningar"

    arende_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("arenden.id"), unique=True)
    bakgrund: Mapped[str | None] = mapped_column(String(8000))
    elevens_perspektiv: Mapped[str | None] = mapped_column(String(8000))
    vardnadshavarnas_perspektiv: Mapped[str | None] = mapped_column(String(8000))
    skolans_perspektiv: Mapped[str | None] = mapped_column(String(8000))
    ovriga_aktorer: Mapped[str | None] = mapped_column(String(8000))
    sammanfattning: Mapped[str | None] = mapped_column(String(8000))
    andrad_av: Mapped[uuid.UUID]


class Ansvarsplan(IdMixin, Base):
    """One version of the plan (T 7.5). A revision (T 7.7) adds a version; none is changed."""

    __tablename__ = "ansvarsplaner"
    __table_args__ = (UniqueConstraint("arende_id", "version"),)

    arende_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("arenden.id"))
    version: Mapped[int]
    innehall: Mapped[dict[str, Any]] = mapped_column(JSON)
    skapad: Mapped[datetime]
    skapad_av: Mapped[uuid.UUID]


class Insats(IdMixin, TimestampMixin, VersionMixin, Base):
    """An intervention carried out in the case (T 7.6)."""

    __tablename__ = "insatser"

    arende_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("arenden.id"), index=True)
    insatstyp: Mapped[Insatstyp] = enum_column(Insatstyp, length=40)
    beskrivning: Mapped[str | None] = mapped_column(String(2000))
    ansvarig: Mapped[Ansvarspart] = enum_column(Ansvarspart)
    ansvarig_namn: Mapped[str | None] = mapped_column(String(200))
    startdatum: Mapped[date]
    slutdatum: Mapped[date | None]
    status: Mapped[Insatsstatus] = enum_column(Insatsstatus)
    skapad_av: Mapped[uuid.UUID]


class Uppfoljning(IdMixin, Base):
    """A held follow-up: each goal of the plan version evaluated (T 7.7). Never changed."""

    __tablename__ = "uppfoljningar"

    arende_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("arenden.id"), index=True)
    datum: Mapped[date]
    # The period the follow-up looks back on: since the previous follow-up, or the plan's start.
    period_fran: Mapped[date]
    # The plan's follow-up date this one meets, if any was still open.
    avser_datum: Mapped[date | None]
    plan_version: Mapped[int]
    resultat: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    kommentar: Mapped[str | None] = mapped_column(Text)
    skapad: Mapped[datetime]
    skapad_av: Mapped[uuid.UUID]

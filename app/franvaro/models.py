"""Absence as the integrations send it, the per-pupil sums the tiers read, and the source ids
that connect the standard's objects (SS12000.md) to schools and pupils.

Records are unique per source (the integration's klient_id) and the source's own id, so sending
a record again finds it. The week sums and the tier state are kept by the intake in the same
transaction as the records (intake.py), so that the kommun-wide lists read a row per pupil
instead of every lesson.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, VersionMixin
from app.db.types import enum_column


class Franvaropost(IdMixin, Base):
    """One lesson's (or day's) scheduled time and absence for one pupil, from one source."""

    __tablename__ = "franvaroposter"
    __table_args__ = (
        UniqueConstraint("kalla", "extern_id"),
        Index("ix_franvaroposter_elev_id_datum", "elev_id", "datum"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    kalla: Mapped[str] = mapped_column(String(64))
    extern_id: Mapped[str] = mapped_column(String(100))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id", ondelete="CASCADE"))
    datum: Mapped[date]
    schemalagd: Mapped[int] = mapped_column(Integer)
    giltig: Mapped[int] = mapped_column(Integer)
    ogiltig: Mapped[int] = mapped_column(Integer)
    orsak: Mapped[str | None] = mapped_column(String(200))
    mottagen: Mapped[datetime]


class Franvarovecka(Base):
    """A pupil's sums for one week (keyed by its Monday), over every source."""

    __tablename__ = "franvaroveckor"
    __table_args__ = (Index("ix_franvaroveckor_kommun_id_vecka", "kommun_id", "vecka"),)

    elev_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("elever.id", ondelete="CASCADE"), primary_key=True
    )
    vecka: Mapped[date] = mapped_column(primary_key=True)
    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    schemalagd: Mapped[int] = mapped_column(Integer)
    giltig: Mapped[int] = mapped_column(Integer)
    ogiltig: Mapped[int] = mapped_column(Integer)


class Narvarolage(Base):
    """A pupil's sums over the two windows the tiers compare, as of the week `vecka` (Monday):
    `a_*` the last eight weeks through that week, `b_*` the eight weeks before them."""

    __tablename__ = "narvarolagen"

    elev_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("elever.id", ondelete="CASCADE"), primary_key=True
    )
    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), index=True)
    vecka: Mapped[date]
    a_schemalagd: Mapped[int] = mapped_column(Integer)
    a_giltig: Mapped[int] = mapped_column(Integer)
    a_ogiltig: Mapped[int] = mapped_column(Integer)
    b_schemalagd: Mapped[int] = mapped_column(Integer)
    b_giltig: Mapped[int] = mapped_column(Integer)
    b_ogiltig: Mapped[int] = mapped_column(Integer)


class Narvaroberakning(Base):
    """The week the kommun's state rows were last recomputed for (narvaro.ensure_current)."""

    __tablename__ = "narvaroberakningar"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), primary_key=True)
    vecka: Mapped[date]


class Narvarogranser(VersionMixin, Base):
    """The kommun's thresholds in percent of scheduled time (DOMAIN.md defaults: 10 and 20)."""

    __tablename__ = "narvarogranser"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), primary_key=True)
    gul_procent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    orange_procent: Mapped[Decimal] = mapped_column(Numeric(5, 2))


class Anmalningstyp(StrEnum):
    anmald_franvaro = "anmald_franvaro"
    beviljad_ledighet = "beviljad_ledighet"


class Franvaroanmalan(IdMixin, Base):
    """Reported absence or granted leave over an interval (SS 12000 Absence)."""

    __tablename__ = "franvaroanmalningar"
    __table_args__ = (
        UniqueConstraint("kalla", "extern_id"),
        Index("ix_franvaroanmalningar_elev_id_start", "elev_id", "start"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    kalla: Mapped[str] = mapped_column(String(64))
    extern_id: Mapped[str] = mapped_column(String(100))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id", ondelete="CASCADE"))
    typ: Mapped[Anmalningstyp] = enum_column(Anmalningstyp)
    start: Mapped[datetime]
    slut: Mapped[datetime]
    mottagen: Mapped[datetime]


class Kalenderhandelse(Base):
    """A lesson's date and scheduled minutes (SS 12000 CalendarEvent), for its attendances."""

    __tablename__ = "kalenderhandelser"

    kalla: Mapped[str] = mapped_column(String(64), primary_key=True)
    extern_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    datum: Mapped[date]
    minuter: Mapped[int] = mapped_column(Integer)
    installd: Mapped[bool]


class SkolaExterntId(Base):
    """A school unit's id in a source system (SS 12000 Organisation), matched by skolenhetskod."""

    __tablename__ = "skola_externa_id"

    kalla: Mapped[str] = mapped_column(String(64), primary_key=True)
    extern_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    skola_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skolor.id", ondelete="CASCADE"))


class Kallperson(Base):
    """A person a source sent who is not (yet) a pupil here: a guardian, kept until the pupil who
    names them arrives, or to update them later (SS12000.md: link whichever comes first)."""

    __tablename__ = "kallpersoner"

    kalla: Mapped[str] = mapped_column(String(64), primary_key=True)
    extern_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    fornamn: Mapped[str] = mapped_column(String(100))
    efternamn: Mapped[str] = mapped_column(String(100))
    personnummer: Mapped[str | None] = mapped_column(String(12))
    skyddad_identitet: Mapped[str] = mapped_column(String(32))


class Kallansvar(Base):
    """A pupil's responsible person as the source named them (Person.responsibles)."""

    __tablename__ = "kallansvar"
    __table_args__ = (Index("ix_kallansvar_kalla_person_id", "kalla", "person_id"),)

    kalla: Mapped[str] = mapped_column(String(64), primary_key=True)
    elev_extern_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    har_vardnad: Mapped[bool]


class Importsvar(Base):
    """The first answer to a batch sent with an Idempotency-Key, returned on every retry."""

    __tablename__ = "importsvar"

    kalla: Mapped[str] = mapped_column(String(64), primary_key=True)
    nyckel: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(String(64))
    innehall_hash: Mapped[str] = mapped_column(String(64))
    svar: Mapped[str] = mapped_column(Text)
    skapad: Mapped[datetime]

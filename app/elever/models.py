import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column
from app.elever.personnummer import IdentitetsTyp


class Arskurs(StrEnum):
    F = "F"
    AK1 = "1"
    AK2 = "2"
    AK3 = "3"
    AK4 = "4"
    AK5 = "5"
    AK6 = "6"
    AK7 = "7"
    AK8 = "8"
    AK9 = "9"


class Skolform(StrEnum):
    grundskola = "grundskola"
    anpassad_grundskola = "anpassad_grundskola"


class SkyddadIdentitet(StrEnum):
    ingen = "ingen"
    sekretessmarkering = "sekretessmarkering"
    skyddad_folkbokforing = "skyddad_folkbokforing"


class KontaktMixin:
    """Address and contact data: withheld from most roles when identity is protected."""

    adress: Mapped[str | None] = mapped_column(String(200))
    postnummer: Mapped[str | None] = mapped_column(String(10))
    ort: Mapped[str | None] = mapped_column(String(100))
    telefon: Mapped[str | None] = mapped_column(String(40))
    epost: Mapped[str | None] = mapped_column(String(200))


class Elev(IdMixin, TimestampMixin, VersionMixin, KontaktMixin, Base):
    """A pupil of grundskola or anpassad grundskola, at one school of the kommun."""

    __tablename__ = "elever"
    __table_args__ = (
        UniqueConstraint("kommun_id", "personnummer"),
        Index("ix_elever_kommun_id_id", "kommun_id", "id"),
        Index("ix_elever_skola_id_id", "skola_id", "id"),
    )

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    skola_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skolor.id"))
    personnummer: Mapped[str] = mapped_column(String(12))
    identitetstyp: Mapped[IdentitetsTyp] = enum_column(IdentitetsTyp)
    fornamn: Mapped[str] = mapped_column(String(100))
    efternamn: Mapped[str] = mapped_column(String(100))
    # Case-folded "förnamn efternamn", so free-text search behaves the same on both databases.
    sokbart_namn: Mapped[str] = mapped_column(String(201))
    arskurs: Mapped[Arskurs] = enum_column(Arskurs)
    skolform: Mapped[Skolform] = enum_column(Skolform)
    skyddad_identitet: Mapped[SkyddadIdentitet] = enum_column(SkyddadIdentitet)
    externa_id: Mapped[list["ElevExterntId"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ElevExterntId.kalla"
    )


class ElevExterntId(Base):
    """The pupil's id in a source system (school information system, attendance system)."""

    __tablename__ = "elev_externa_id"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), primary_key=True)
    kalla: Mapped[str] = mapped_column(String(64), primary_key=True)
    extern_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    elev_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("elever.id", ondelete="CASCADE"), index=True
    )


class Vardnadshavare(IdMixin, TimestampMixin, VersionMixin, KontaktMixin, Base):
    """A guardian of one pupil; `har_vardnad` marks custody, whose holders sign consents."""

    __tablename__ = "vardnadshavare"
    __table_args__ = (UniqueConstraint("elev_id", "kalla", "extern_id"),)

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id"), index=True)
    fornamn: Mapped[str] = mapped_column(String(100))
    efternamn: Mapped[str] = mapped_column(String(100))
    personnummer: Mapped[str | None] = mapped_column(String(12))
    identitetstyp: Mapped[IdentitetsTyp | None] = enum_column(IdentitetsTyp)
    har_vardnad: Mapped[bool]
    skyddad_identitet: Mapped[SkyddadIdentitet] = enum_column(SkyddadIdentitet)
    # Set when a source system sent the guardian (SS 12000 Person id), to match it next time.
    kalla: Mapped[str | None] = mapped_column(String(64))
    extern_id: Mapped[str | None] = mapped_column(String(100))

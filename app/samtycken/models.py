import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column


class Part(StrEnum):
    """A party that a consent lets share information about the pupil (OSL 12 kap. 2 §)."""

    skola = "skola"
    socialtjanst = "socialtjanst"
    central_elevhalsa = "central_elevhalsa"
    region = "region"


class Undertecknare(StrEnum):
    vardnadshavare = "vardnadshavare"
    elev = "elev"


class Signaturmetod(StrEnum):
    digital = "digital"
    papper = "papper"
    muntligt_noterat = "muntligt_noterat"


class Samtycke(IdMixin, TimestampMixin, VersionMixin, Base):
    """Consent for named parties to share information about one pupil, for a purpose and period.

    Its status is never stored: it follows from signatures, withdrawals, custody and the date.
    """

    __tablename__ = "samtycken"
    __table_args__ = (Index("ix_samtycken_kommun_id_giltig_till", "kommun_id", "giltig_till"),)

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    elev_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("elever.id"), index=True)
    parter: Mapped[list[str]] = mapped_column(JSON)
    syfte: Mapped[str] = mapped_column(String(500))
    omfattning: Mapped[str] = mapped_column(String(2000))
    giltig_fran: Mapped[date]
    giltig_till: Mapped[date]
    elevens_signatur_kravs: Mapped[bool]
    registrerad_av: Mapped[uuid.UUID]
    signaturer: Mapped[list["SamtyckeSignatur"]] = relationship(
        lazy="selectin", order_by="SamtyckeSignatur.signerad"
    )
    aterkallelser: Mapped[list["SamtyckeAterkallelse"]] = relationship(
        lazy="selectin", order_by="SamtyckeAterkallelse.tidpunkt"
    )


class SamtyckeSignatur(IdMixin, Base):
    __tablename__ = "samtycke_signaturer"
    __table_args__ = (UniqueConstraint("samtycke_id", "signerare"),)

    samtycke_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samtycken.id"), index=True)
    undertecknare: Mapped[Undertecknare] = enum_column(Undertecknare)
    vardnadshavare_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vardnadshavare.id"))
    # "elev" or the guardian's id: one signature per signer and consent.
    signerare: Mapped[str] = mapped_column(String(36))
    metod: Mapped[Signaturmetod] = enum_column(Signaturmetod)
    signerad: Mapped[datetime]
    registrerad: Mapped[datetime]
    registrerad_av: Mapped[uuid.UUID]
    # For a verbal consent: the staff member who heard and noted it.
    noterad_av: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("anvandare.id"))


class SamtyckeAterkallelse(IdMixin, Base):
    """A withdrawal by a signer: of the whole consent, or of the named parties only."""

    __tablename__ = "samtycke_aterkallelser"

    samtycke_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samtycken.id"), index=True)
    undertecknare: Mapped[Undertecknare] = enum_column(Undertecknare)
    vardnadshavare_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vardnadshavare.id"))
    # None: the whole consent is withdrawn.
    parter: Mapped[list[str] | None] = mapped_column(JSON)
    tidpunkt: Mapped[datetime]
    registrerad_av: Mapped[uuid.UUID]

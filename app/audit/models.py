import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.audit.chain import Atgard, Utfall
from app.db.base import Base
from app.db.types import enum_column


class AuditHandelse(Base):
    """One audited event. Append-only: the database refuses UPDATE and DELETE on this table.

    Rows form one hash chain per kommun: each row carries the hash of the previous row of its chain.
    """

    __tablename__ = "audit_logg"
    __table_args__ = (
        UniqueConstraint("kommun_id", "lopnummer"),
        Index("ix_audit_logg_kommun_elev", "kommun_id", "elev_id", "id"),
        Index("ix_audit_logg_kommun_aktor", "kommun_id", "aktor_id", "id"),
        Index("ix_audit_logg_kommun_tidpunkt", "kommun_id", "tidpunkt"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"))
    lopnummer: Mapped[int] = mapped_column(BigInteger)
    tidpunkt: Mapped[datetime]
    aktor_typ: Mapped[str] = mapped_column(String(16))
    aktor_id: Mapped[uuid.UUID]
    roll: Mapped[str] = mapped_column(String(32))
    organisation: Mapped[str | None] = mapped_column(String(32))
    atgard: Mapped[Atgard] = enum_column(Atgard)
    resurs_typ: Mapped[str] = mapped_column(String(64))
    resurs_id: Mapped[str | None] = mapped_column(String(64))
    elev_id: Mapped[uuid.UUID | None]
    rattslig_grund: Mapped[str | None] = mapped_column(String(100))
    utfall: Mapped[Utfall] = enum_column(Utfall)
    request_id: Mapped[str | None] = mapped_column(String(64))
    foregaende_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditKedja(Base):
    """The head of one kommun's chain; locking this row serialises appends to the chain."""

    __tablename__ = "audit_kedja"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), primary_key=True)
    lopnummer: Mapped[int] = mapped_column(BigInteger)
    senaste_hash: Mapped[str] = mapped_column(String(64))

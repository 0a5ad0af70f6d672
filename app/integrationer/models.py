import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.skolor.models import Skola

integration_skolor = Table(
    "integration_skolor",
    Base.metadata,
    Column("integration_id", ForeignKey("integrationer.id", ondelete="CASCADE"), primary_key=True),
    Column("skola_id", ForeignKey("skolor.id"), primary_key=True, index=True),
)


class Integration(IdMixin, TimestampMixin, VersionMixin, Base):
    """A machine client (school information or attendance system) bound to a kommun's schools."""

    __tablename__ = "integrationer"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), index=True)
    namn: Mapped[str] = mapped_column(String(200))
    klient_id: Mapped[str] = mapped_column(String(64), unique=True)
    hemlighet_hash: Mapped[str] = mapped_column(String(255))
    aktiv: Mapped[bool] = mapped_column(default=True)
    borttagen: Mapped[datetime | None]
    skolor: Mapped[list[Skola]] = relationship(secondary=integration_skolor, lazy="selectin")

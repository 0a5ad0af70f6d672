import uuid

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.roles import Organisation, Roll
from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin
from app.db.types import enum_column
from app.skolor.models import Skola

anvandare_skolor = Table(
    "anvandare_skolor",
    Base.metadata,
    Column("anvandare_id", ForeignKey("anvandare.id", ondelete="CASCADE"), primary_key=True),
    Column("skola_id", ForeignKey("skolor.id"), primary_key=True, index=True),
)


class Anvandare(IdMixin, TimestampMixin, VersionMixin, Base):
    """A person who logs in: staff of a school, central student health or social services."""

    __tablename__ = "anvandare"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), index=True)
    anvandarnamn: Mapped[str] = mapped_column(String(64), unique=True)
    namn: Mapped[str] = mapped_column(String(200))
    roll: Mapped[Roll] = enum_column(Roll)
    organisation: Mapped[Organisation] = enum_column(Organisation)
    losenord_hash: Mapped[str] = mapped_column(String(255))
    aktiv: Mapped[bool] = mapped_column(default=True)
    # Carried in each token as `gen`; raised on deactivation and password change, which ends
    # every token issued before.
    token_generation: Mapped[int] = mapped_column(default=1)
    skolor: Mapped[list[Skola]] = relationship(secondary=anvandare_skolor, lazy="selectin")

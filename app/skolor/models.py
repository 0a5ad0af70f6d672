import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin


class Skola(IdMixin, TimestampMixin, VersionMixin, Base):
    """A school unit (skolenhet), identified nationally by its 8-digit skolenhetskod."""

    __tablename__ = "skolor"

    kommun_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kommuner.id"), index=True)
    namn: Mapped[str] = mapped_column(String(200))
    skolenhetskod: Mapped[str] = mapped_column(String(8), unique=True)

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TimestampMixin


class Kommun(IdMixin, TimestampMixin, Base):
    """A municipality (huvudman). Every row of personal data belongs to exactly one."""

    __tablename__ = "kommuner"

    namn: Mapped[str] = mapped_column(String(100), unique=True)
    kommunkod: Mapped[str | None] = mapped_column(String(4), unique=True)

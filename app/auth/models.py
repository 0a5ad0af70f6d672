from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class Inloggningsforsok(Base):
    """A failed login, counted per account and per address to slow down guessing.

    The key is a keyed hash, so neither user names nor addresses are stored.
    """

    __tablename__ = "inloggningsforsok"
    __table_args__ = (Index("ix_inloggningsforsok_nyckel_tidpunkt", "nyckel", "tidpunkt"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    nyckel: Mapped[str] = mapped_column(String(64))
    tidpunkt: Mapped[datetime] = mapped_column(index=True)

"""Frånvaro: poster från källsystem, veckosummor, närvarolägen och gränser, SS 12000-id.

Revision ID: 20261126_franvaro
Revises: 20261125_kvalitet
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261126_franvaro"
down_revision: str | None = "20261125_kvalitet"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Tidpunkt = sa.DateTime(timezone=True)


def _kommun() -> sa.Column[object]:
    return sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False)


def _elev(*, primary_key: bool = False) -> sa.Column[object]:
    return sa.Column(
        "elev_id",
        sa.Uuid(),
        sa.ForeignKey("elever.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _minuter(*prefixes: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}{name}", sa.Integer(), nullable=False)
        for prefix in prefixes
        for name in ("schemalagd", "giltig", "ogiltig")
    ]


def _kalla_och_id() -> list[sa.Column[object]]:
    return [
        sa.Column("kalla", sa.String(64), nullable=False),
        sa.Column("extern_id", sa.String(100), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "franvaroposter",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _kommun(),
        *_kalla_och_id(),
        _elev(),
        sa.Column("datum", sa.Date(), nullable=False),
        *_minuter(""),
        sa.Column("orsak", sa.String(200), nullable=True),
        sa.Column("mottagen", Tidpunkt, nullable=False),
        sa.UniqueConstraint("kalla", "extern_id"),
    )
    op.create_index("ix_franvaroposter_elev_id_datum", "franvaroposter", ["elev_id", "datum"])

    op.create_table(
        "franvaroveckor",
        _elev(primary_key=True),
        sa.Column("vecka", sa.Date(), primary_key=True),
        _kommun(),
        *_minuter(""),
    )
    op.create_index("ix_franvaroveckor_kommun_id_vecka", "franvaroveckor", ["kommun_id", "vecka"])

    op.create_table(
        "narvarolagen",
        _elev(primary_key=True),
        _kommun(),
        sa.Column("vecka", sa.Date(), nullable=False),
        *_minuter("a_", "b_"),
    )
    op.create_index("ix_narvarolagen_kommun_id", "narvarolagen", ["kommun_id"])

    op.create_table(
        "narvaroberakningar",
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), primary_key=True),
        sa.Column("vecka", sa.Date(), nullable=False),
    )
    op.create_table(
        "narvarogranser",
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), primary_key=True),
        sa.Column("gul_procent", sa.Numeric(5, 2), nullable=False),
        sa.Column("orange_procent", sa.Numeric(5, 2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )

    op.create_table(
        "franvaroanmalningar",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _kommun(),
        *_kalla_och_id(),
        _elev(),
        sa.Column(
            "typ",
            sa.Enum(
                "anmald_franvaro",
                "beviljad_ledighet",
                name="anmalningstyp",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start", Tidpunkt, nullable=False),
        sa.Column("slut", Tidpunkt, nullable=False),
        sa.Column("mottagen", Tidpunkt, nullable=False),
        sa.UniqueConstraint("kalla", "extern_id"),
    )
    op.create_index(
        "ix_franvaroanmalningar_elev_id_start", "franvaroanmalningar", ["elev_id", "start"]
    )

    op.create_table(
        "kalenderhandelser",
        sa.Column("kalla", sa.String(64), primary_key=True),
        sa.Column("extern_id", sa.String(100), primary_key=True),
        _kommun(),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("minuter", sa.Integer(), nullable=False),
        sa.Column("installd", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "skola_externa_id",
        sa.Column("kalla", sa.String(64), primary_key=True),
        sa.Column("extern_id", sa.String(100), primary_key=True),
        sa.Column(
            "skola_id", sa.Uuid(), sa.ForeignKey("skolor.id", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_table(
        "kallpersoner",
        sa.Column("kalla", sa.String(64), primary_key=True),
        sa.Column("extern_id", sa.String(100), primary_key=True),
        _kommun(),
        sa.Column("fornamn", sa.String(100), nullable=False),
        sa.Column("efternamn", sa.String(100), nullable=False),
        sa.Column("personnummer", sa.String(12), nullable=True),
        sa.Column("skyddad_identitet", sa.String(32), nullable=False),
    )
    op.create_table(
        "kallansvar",
        sa.Column("kalla", sa.String(64), primary_key=True),
        sa.Column("elev_extern_id", sa.String(100), primary_key=True),
        sa.Column("person_id", sa.String(100), primary_key=True),
        sa.Column("har_vardnad", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_kallansvar_kalla_person_id", "kallansvar", ["kalla", "person_id"])
    op.create_table(
        "importsvar",
        sa.Column("kalla", sa.String(64), primary_key=True),
        sa.Column("nyckel", sa.String(200), primary_key=True),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("innehall_hash", sa.String(64), nullable=False),
        sa.Column("svar", sa.Text(), nullable=False),
        sa.Column("skapad", Tidpunkt, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "importsvar",
        "kallansvar",
        "kallpersoner",
        "skola_externa_id",
        "kalenderhandelser",
        "franvaroanmalningar",
        "narvarogranser",
        "narvaroberakningar",
        "narvarolagen",
        "franvaroveckor",
        "franvaroposter",
    ):
        op.drop_table(table)

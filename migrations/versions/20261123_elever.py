"""Elever, vårdnadshavare, externa id och samtycken med signaturer och återkallelser.

Revision ID: 20261123_elever
Revises: 20261122_plattform
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_elever"
down_revision: str | None = "20261122_plattform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Tidpunkt = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def IDENTITETSTYP() -> sa.Enum:  # noqa: N802 - one fresh type per table that uses it
    return _enum("identitetstyp", "personnummer", "samordningsnummer", "tillfalligt")


def SKYDDAD_IDENTITET() -> sa.Enum:  # noqa: N802
    return _enum("skyddadidentitet", "ingen", "sekretessmarkering", "skyddad_folkbokforing")


def UNDERTECKNARE() -> sa.Enum:  # noqa: N802
    return _enum("undertecknare", "vardnadshavare", "elev")


ARSKURS = _enum("arskurs", "F", "1", "2", "3", "4", "5", "6", "7", "8", "9")
SKOLFORM = _enum("skolform", "grundskola", "anpassad_grundskola")
SIGNATURMETOD = _enum("signaturmetod", "digital", "papper", "muntligt_noterat")


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _timestamps_and_version() -> list[sa.Column[object]]:
    return [
        sa.Column("skapad", Tidpunkt, nullable=False),
        sa.Column("andrad", Tidpunkt, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _contact() -> list[sa.Column[object]]:
    return [
        sa.Column("adress", sa.String(200)),
        sa.Column("postnummer", sa.String(10)),
        sa.Column("ort", sa.String(100)),
        sa.Column("telefon", sa.String(40)),
        sa.Column("epost", sa.String(200)),
    ]


def _kommun() -> sa.Column[object]:
    return sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "elever",
        _id(),
        _kommun(),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id"), nullable=False),
        sa.Column("personnummer", sa.String(12), nullable=False),
        sa.Column("identitetstyp", IDENTITETSTYP(), nullable=False),
        sa.Column("fornamn", sa.String(100), nullable=False),
        sa.Column("efternamn", sa.String(100), nullable=False),
        sa.Column("sokbart_namn", sa.String(201), nullable=False),
        sa.Column("arskurs", ARSKURS, nullable=False),
        sa.Column("skolform", SKOLFORM, nullable=False),
        sa.Column("skyddad_identitet", SKYDDAD_IDENTITET(), nullable=False),
        *_contact(),
        *_timestamps_and_version(),
        sa.UniqueConstraint(
            "kommun_id", "personnummer", name=op.f("uq_elever_kommun_id_personnummer")
        ),
    )
    op.create_index("ix_elever_kommun_id_id", "elever", ["kommun_id", "id"])
    op.create_index("ix_elever_skola_id_id", "elever", ["skola_id", "id"])

    op.create_table(
        "elev_externa_id",
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), primary_key=True),
        sa.Column("kalla", sa.String(64), primary_key=True),
        sa.Column("extern_id", sa.String(100), primary_key=True),
        sa.Column(
            "elev_id", sa.Uuid(), sa.ForeignKey("elever.id", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_index(op.f("ix_elev_externa_id_elev_id"), "elev_externa_id", ["elev_id"])

    op.create_table(
        "vardnadshavare",
        _id(),
        _kommun(),
        sa.Column("elev_id", sa.Uuid(), sa.ForeignKey("elever.id"), nullable=False),
        sa.Column("fornamn", sa.String(100), nullable=False),
        sa.Column("efternamn", sa.String(100), nullable=False),
        sa.Column("personnummer", sa.String(12)),
        sa.Column("identitetstyp", IDENTITETSTYP()),
        sa.Column("har_vardnad", sa.Boolean(), nullable=False),
        sa.Column("skyddad_identitet", SKYDDAD_IDENTITET(), nullable=False),
        sa.Column("kalla", sa.String(64)),
        sa.Column("extern_id", sa.String(100)),
        *_contact(),
        *_timestamps_and_version(),
        sa.UniqueConstraint(
            "elev_id", "kalla", "extern_id", name=op.f("uq_vardnadshavare_elev_id_kalla_extern_id")
        ),
    )
    op.create_index(op.f("ix_vardnadshavare_elev_id"), "vardnadshavare", ["elev_id"])

    op.create_table(
        "samtycken",
        _id(),
        _kommun(),
        sa.Column("elev_id", sa.Uuid(), sa.ForeignKey("elever.id"), nullable=False),
        sa.Column("parter", sa.JSON(), nullable=False),
        sa.Column("syfte", sa.String(500), nullable=False),
        sa.Column("omfattning", sa.String(2000), nullable=False),
        sa.Column("giltig_fran", sa.Date(), nullable=False),
        sa.Column("giltig_till", sa.Date(), nullable=False),
        sa.Column("elevens_signatur_kravs", sa.Boolean(), nullable=False),
        sa.Column("registrerad_av", sa.Uuid(), nullable=False),
        *_timestamps_and_version(),
    )
    op.create_index(op.f("ix_samtycken_elev_id"), "samtycken", ["elev_id"])
    op.create_index(
        "ix_samtycken_kommun_id_giltig_till", "samtycken", ["kommun_id", "giltig_till"]
    )

    op.create_table(
        "samtycke_signaturer",
        _id(),
        sa.Column("samtycke_id", sa.Uuid(), sa.ForeignKey("samtycken.id"), nullable=False),
        sa.Column("undertecknare", UNDERTECKNARE(), nullable=False),
        sa.Column("vardnadshavare_id", sa.Uuid(), sa.ForeignKey("vardnadshavare.id")),
        sa.Column("signerare", sa.String(36), nullable=False),
        sa.Column("metod", SIGNATURMETOD, nullable=False),
        sa.Column("signerad", Tidpunkt, nullable=False),
        sa.Column("registrerad", Tidpunkt, nullable=False),
        sa.Column("registrerad_av", sa.Uuid(), nullable=False),
        sa.Column("noterad_av", sa.Uuid(), sa.ForeignKey("anvandare.id")),
        sa.UniqueConstraint(
            "samtycke_id", "signerare", name=op.f("uq_samtycke_signaturer_samtycke_id_signerare")
        ),
    )
    op.create_index(
        op.f("ix_samtycke_signaturer_samtycke_id"), "samtycke_signaturer", ["samtycke_id"]
    )

    op.create_table(
        "samtycke_aterkallelser",
        _id(),
        sa.Column("samtycke_id", sa.Uuid(), sa.ForeignKey("samtycken.id"), nullable=False),
        sa.Column("undertecknare", UNDERTECKNARE(), nullable=False),
        sa.Column("vardnadshavare_id", sa.Uuid(), sa.ForeignKey("vardnadshavare.id")),
        sa.Column("parter", sa.JSON()),
        sa.Column("tidpunkt", Tidpunkt, nullable=False),
        sa.Column("registrerad_av", sa.Uuid(), nullable=False),
    )
    op.create_index(
        op.f("ix_samtycke_aterkallelser_samtycke_id"), "samtycke_aterkallelser", ["samtycke_id"]
    )


def downgrade() -> None:
    for table in (
        "samtycke_aterkallelser",
        "samtycke_signaturer",
        "samtycken",
        "vardnadshavare",
        "elev_externa_id",
        "elever",
    ):
        op.drop_table(table)

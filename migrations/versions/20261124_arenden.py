"""Det skolsociala teamets ärenden: faser, möten, kartläggning, ansvarsplan, insatser, uppföljningar.

Revision ID: 20261124_arenden
Revises: 20261123_elever
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261124_arenden"
down_revision: str | None = "20261123_elever"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Tidpunkt = sa.DateTime(timezone=True)
Text = sa.String(4000)

FASER = (
    "ansokan",
    "beredning",
    "uppstart",
    "kartlaggning",
    "ansvarsplanering",
    "genomforande",
    "uppfoljning",
    "avslutat",
)


def _enum(name: str, *values: str, length: int = 32) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


AVSLUTSORSAK = _enum(
    "avslutsorsak", "behov_upphort", "tackar_nej", "flyttar", "andra_insatser", "ej_beviljad"
)
MOTESTYP = _enum(
    "motestyp",
    "uppstart_skola",
    "uppstart_elev_vardnadshavare",
    "ansvarsplanering",
    "uppfoljning",
    "ovrigt",
)
INSATSTYP = _enum(
    "insatstyp",
    "motiverande_samtal",
    "stodjande_samtal_elev",
    "stodjande_samtal_vardnadshavare",
    "krissamtal",
    "sociala_anpassningar",
    "fysiska_anpassningar",
    "relationsskapande_aktivitet",
    "stod_organisera_fritid_skolarbete",
    "pedagogisk_handledning",
    "stod_i_undervisning",
    "kontakt_narvarorapport_hem",
    "annan",
    length=40,
)
ANSVARSPART = _enum(
    "ansvarspart", "elev_och_vardnadshavare", "skola", "skolsocialt_team", "ovriga_aktorer"
)
INSATSSTATUS = _enum("insatsstatus", "planerad", "pagaende", "avslutad", "avbruten")


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _timestamps_and_version() -> list[sa.Column[object]]:
    return [
        sa.Column("skapad", Tidpunkt, nullable=False),
        sa.Column("andrad", Tidpunkt, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _arende() -> sa.Column[object]:
    return sa.Column("arende_id", sa.Uuid(), sa.ForeignKey("arenden.id"), nullable=False)


def _index_on_arende(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_arende_id"), table, ["arende_id"])


def upgrade() -> None:
    op.create_table(
        "arenden",
        _id(),
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False),
        sa.Column("elev_id", sa.Uuid(), sa.ForeignKey("elever.id"), nullable=False),
        sa.Column("ansokande_skola_id", sa.Uuid(), sa.ForeignKey("skolor.id"), nullable=False),
        sa.Column("ansokt_av", sa.Uuid(), nullable=False),
        sa.Column("fas", _enum("fas", *FASER), nullable=False),
        sa.Column("orsak", Text, nullable=False),
        sa.Column("insatser_organisationsniva", Text, nullable=False),
        sa.Column("insatser_gruppniva", Text, nullable=False),
        sa.Column("insatser_individniva", Text, nullable=False),
        sa.Column("franvaro_beskrivning", sa.String(2000), nullable=False),
        sa.Column("franvaro_procent", sa.Double()),
        sa.Column("franvaro_fran", sa.Date()),
        sa.Column("franvaro_till", sa.Date()),
        sa.Column("samtycke_id", sa.Uuid(), sa.ForeignKey("samtycken.id"), nullable=False),
        sa.Column("komplettering_saknas", sa.JSON()),
        sa.Column("komplettering_begard", Tidpunkt),
        sa.Column("komplettering_besvarad", Tidpunkt),
        sa.Column("handlaggare_id", sa.Uuid(), sa.ForeignKey("anvandare.id")),
        sa.Column("beviljat", sa.Date()),
        sa.Column("nasta_uppfoljning", sa.Date()),
        sa.Column("avslutsorsak", AVSLUTSORSAK),
        sa.Column("avslutat", Tidpunkt),
        sa.Column("vidmakthallande_plan", Text),
        sa.Column("vidmakthallande_ansvar", sa.String(2000)),
        sa.Column("vidmakthallande_uppfoljning", sa.Date()),
        *_timestamps_and_version(),
    )
    op.create_index(op.f("ix_arenden_elev_id"), "arenden", ["elev_id"])
    op.create_index(op.f("ix_arenden_handlaggare_id"), "arenden", ["handlaggare_id"])
    op.create_index("ix_arenden_kommun_id_fas", "arenden", ["kommun_id", "fas"])
    op.create_index("ix_arenden_kommun_id_id", "arenden", ["kommun_id", "id"])

    op.create_table(
        "arende_faser",
        _id(),
        _arende(),
        sa.Column("fran", _enum("fran_fas", *FASER)),
        sa.Column("till", _enum("till_fas", *FASER), nullable=False),
        sa.Column("tidpunkt", Tidpunkt, nullable=False),
        sa.Column("utford_av", sa.Uuid(), nullable=False),
        sa.Column("kommentar", sa.String(2000)),
        sa.Column("uppgifter", sa.JSON()),
    )
    op.create_index(
        "ix_arende_faser_arende_id_tidpunkt", "arende_faser", ["arende_id", "tidpunkt"]
    )

    op.create_table(
        "arende_moten",
        _id(),
        _arende(),
        sa.Column("typ", MOTESTYP, nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("plats", sa.String(200)),
        sa.Column("deltagare", sa.JSON(), nullable=False),
        sa.Column("dagordning", Text),
        sa.Column("minnesanteckningar", sa.String(20000)),
        sa.Column("skapad_av", sa.Uuid(), nullable=False),
        *_timestamps_and_version(),
    )
    _index_on_arende("arende_moten")

    op.create_table(
        "kartlaggningar",
        _id(),
        _arende(),
        *(
            sa.Column(name, sa.String(8000))
            for name in (
                "bakgrund",
                "elevens_perspektiv",
                "vardnadshavarnas_perspektiv",
                "skolans_perspektiv",
                "ovriga_aktorer",
                "sammanfattning",
            )
        ),
        sa.Column("andrad_av", sa.Uuid(), nullable=False),
        *_timestamps_and_version(),
        sa.UniqueConstraint("arende_id", name=op.f("uq_kartlaggningar_arende_id")),
    )

    op.create_table(
        "ansvarsplaner",
        _id(),
        _arende(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("innehall", sa.JSON(), nullable=False),
        sa.Column("skapad", Tidpunkt, nullable=False),
        sa.Column("skapad_av", sa.Uuid(), nullable=False),
        sa.UniqueConstraint(
            "arende_id", "version", name=op.f("uq_ansvarsplaner_arende_id_version")
        ),
    )

    op.create_table(
        "insatser",
        _id(),
        _arende(),
        sa.Column("insatstyp", INSATSTYP, nullable=False),
        sa.Column("beskrivning", sa.String(2000)),
        sa.Column("ansvarig", ANSVARSPART, nullable=False),
        sa.Column("ansvarig_namn", sa.String(200)),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("slutdatum", sa.Date()),
        sa.Column("status", INSATSSTATUS, nullable=False),
        sa.Column("skapad_av", sa.Uuid(), nullable=False),
        *_timestamps_and_version(),
    )
    _index_on_arende("insatser")

    op.create_table(
        "uppfoljningar",
        _id(),
        _arende(),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("period_fran", sa.Date(), nullable=False),
        sa.Column("avser_datum", sa.Date()),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("resultat", sa.JSON(), nullable=False),
        sa.Column("kommentar", Text),
        sa.Column("skapad", Tidpunkt, nullable=False),
        sa.Column("skapad_av", sa.Uuid(), nullable=False),
    )
    _index_on_arende("uppfoljningar")


def downgrade() -> None:
    for table in (
        "uppfoljningar",
        "insatser",
        "ansvarsplaner",
        "kartlaggningar",
        "arende_moten",
        "arende_faser",
        "arenden",
    ):
        op.drop_table(table)

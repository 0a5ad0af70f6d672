"""Kvalitetsuppföljning: mål och förbättringsåtgärder, avvikelser, orosanmälningar, anteckningar.

Revision ID: 20261125_kvalitet
Revises: 20261124_arenden
Create Date: 2026-11-25

Orosanmälningar ändras aldrig och signerade anteckningar ändras aldrig: databasen själv vägrar
(triggers på båda databaserna), inte bara tjänsten.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261125_kvalitet"
down_revision: str | None = "20261124_arenden"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Tidpunkt = sa.DateTime(timezone=True)

ROLLER = ("admin", "elevhalsa", "rektor", "skolsocialt_team", "styrgrupp", "granskare", "integration")
ORGANISATIONER = ("skola", "central_elevhalsa", "socialtjanst", "region")
VERKSAMHETER = ("skola", "socialtjanst", "bup", "barnmedicin", "habilitering", "annan")
INDIKATORER = (
    "nya_arenden",
    "beviljade_arenden",
    "avslagna_arenden",
    "avslutade_arenden",
    "avslut_behov_upphort",
    "avslut_tackar_nej",
    "mal_uppnatt",
    "mal_delvis",
    "mal_ej_uppnatt",
    "median_dagar_beredning",
    "median_dagar_uppstart",
    "median_dagar_ansokan_till_avslut",
    "p90_dagar_ansokan_till_avslut",
    "orosanmalningar",
    "avvikelser_besvarade",
    "elever_narvaroniva_orange",
    "median_franvaroforandring",
    "manuell",
)


def _enum(name: str, *values: str, length: int = 32) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _kommun() -> sa.Column[object]:
    return sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False)


def _timestamps_and_version() -> list[sa.Column[object]]:
    return [
        sa.Column("skapad", Tidpunkt, nullable=False),
        sa.Column("andrad", Tidpunkt, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


_PG_OROSANMALAN_ANDRAS_EJ = """
CREATE FUNCTION orosanmalan_andras_ej() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'en registrerad orosanmälan ändras inte: % nekas', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER orosanmalan_andras_ej
    BEFORE UPDATE OR DELETE OR TRUNCATE ON orosanmalningar
    FOR EACH STATEMENT EXECUTE FUNCTION orosanmalan_andras_ej();
"""
_PG_SIGNERAD_ANTECKNING = """
CREATE FUNCTION signerad_anteckning_andras_ej() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signerad' THEN
        RAISE EXCEPTION 'en signerad anteckning ändras inte: % nekas', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER signerad_anteckning_andras_ej
    BEFORE UPDATE OR DELETE ON anteckningar
    FOR EACH ROW EXECUTE FUNCTION signerad_anteckning_andras_ej();
"""
_SQLITE_TRIGGERS = [
    *(
        f"""
        CREATE TRIGGER orosanmalan_ingen_{operation.lower()}
        BEFORE {operation} ON orosanmalningar
        BEGIN SELECT RAISE(ABORT, 'en registrerad orosanmälan ändras inte'); END
        """
        for operation in ("UPDATE", "DELETE")
    ),
    *(
        f"""
        CREATE TRIGGER signerad_anteckning_ingen_{operation.lower()}
        BEFORE {operation} ON anteckningar WHEN OLD.status = 'signerad'
        BEGIN SELECT RAISE(ABORT, 'en signerad anteckning ändras inte'); END
        """
        for operation in ("UPDATE", "DELETE")
    ),
]


def _kvalitetsmal() -> None:
    op.create_table(
        "kvalitetsmal",
        _id(),
        _kommun(),
        sa.Column("niva", _enum("malniva", "skola", "team"), nullable=False),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id")),
        sa.Column("period_fran", sa.Date(), nullable=False),
        sa.Column("period_till", sa.Date(), nullable=False),
        sa.Column("mal", sa.String(2000), nullable=False),
        sa.Column("indikator", _enum("indikator", *INDIKATORER, length=40), nullable=False),
        sa.Column("indikator_beskrivning", sa.String(500)),
        sa.Column("malvarde", sa.Double()),
        sa.Column("riktning", _enum("riktning", "minst", "hogst")),
        sa.Column("utfall", sa.Double()),
        sa.Column("utfall_kalla", _enum("utfallskalla", "statistik", "manuell")),
        sa.Column("utfall_saknas", _enum("saknas", "undertryckt", "ingen_franvarodata")),
        sa.Column("utfall_beraknat", Tidpunkt),
        sa.Column("analys", sa.String(8000)),
        sa.Column("skapad_av", sa.Uuid(), nullable=False),
        sa.Column("andrad_av", sa.Uuid(), nullable=False),
        *_timestamps_and_version(),
        sa.CheckConstraint(
            "(niva = 'skola' AND skola_id IS NOT NULL) OR (niva = 'team' AND skola_id IS NULL)",
            name=op.f("ck_kvalitetsmal_niva_och_skola"),
        ),
        sa.CheckConstraint("period_till >= period_fran", name=op.f("ck_kvalitetsmal_period")),
    )
    op.create_index("ix_kvalitetsmal_kommun_id_id", "kvalitetsmal", ["kommun_id", "id"])
    op.create_index(op.f("ix_kvalitetsmal_skola_id"), "kvalitetsmal", ["skola_id"])
    op.create_table(
        "forbattringsatgarder",
        _id(),
        sa.Column("mal_id", sa.Uuid(), sa.ForeignKey("kvalitetsmal.id"), nullable=False),
        sa.Column("ordning", sa.Integer(), nullable=False),
        sa.Column("beskrivning", sa.String(2000), nullable=False),
        sa.Column("overford_till_mal_id", sa.Uuid(), sa.ForeignKey("kvalitetsmal.id")),
        sa.UniqueConstraint(
            "overford_till_mal_id", name=op.f("uq_forbattringsatgarder_overford_till_mal_id")
        ),
    )
    op.create_index(op.f("ix_forbattringsatgarder_mal_id"), "forbattringsatgarder", ["mal_id"])


def _avvikelser() -> None:
    op.create_table(
        "avvikelser",
        _id(),
        _kommun(),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id")),
        sa.Column("rapporterad_av", sa.Uuid(), sa.ForeignKey("anvandare.id"), nullable=False),
        sa.Column(
            "rapporterande_verksamhet",
            _enum("rapporterande_verksamhet", *VERKSAMHETER),
            nullable=False,
        ),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("beskrivning", sa.String(4000), nullable=False),
        sa.Column("kan_ej_losas_lokalt", sa.Boolean(), nullable=False),
        sa.Column("principiell", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            _enum("avvikelsestatus", "registrerad", "rapporterad_bus", "besvarad", "avslutad"),
            nullable=False,
        ),
        sa.Column("rapporterad_bus", sa.Date()),
        sa.Column("svar", sa.String(4000)),
        sa.Column("besvarad", sa.Date()),
        sa.Column("avslutad", sa.Date()),
        sa.Column("avslutskommentar", sa.String(2000)),
        *_timestamps_and_version(),
    )
    op.create_index("ix_avvikelser_kommun_id_id", "avvikelser", ["kommun_id", "id"])
    op.create_index("ix_avvikelser_kommun_id_datum", "avvikelser", ["kommun_id", "datum"])
    op.create_index(op.f("ix_avvikelser_skola_id"), "avvikelser", ["skola_id"])
    op.create_index(op.f("ix_avvikelser_rapporterad_av"), "avvikelser", ["rapporterad_av"])
    op.create_table(
        "avvikelse_verksamheter",
        sa.Column(
            "avvikelse_id",
            sa.Uuid(),
            sa.ForeignKey("avvikelser.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("verksamhet", _enum("verksamhet", *VERKSAMHETER), primary_key=True),
    )


def _orosanmalningar() -> None:
    op.create_table(
        "orosanmalningar",
        _id(),
        _kommun(),
        sa.Column("elev_id", sa.Uuid(), sa.ForeignKey("elever.id"), nullable=False),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id"), nullable=False),
        sa.Column("anmald_av", sa.Uuid(), sa.ForeignKey("anvandare.id"), nullable=False),
        sa.Column("anmalare_roll", _enum("anmalare_roll", *ROLLER), nullable=False),
        sa.Column(
            "anmalare_organisation",
            _enum("anmalare_organisation", *ORGANISATIONER),
            nullable=False,
        ),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("mottagande_socialtjanst", sa.String(200), nullable=False),
        sa.Column("oro", sa.String(8000), nullable=False),
        sa.Column("registrerad", Tidpunkt, nullable=False),
    )
    op.create_index("ix_orosanmalningar_elev_id_id", "orosanmalningar", ["elev_id", "id"])
    op.create_index(
        "ix_orosanmalningar_kommun_id_datum", "orosanmalningar", ["kommun_id", "datum"]
    )
    op.create_index(op.f("ix_orosanmalningar_anmald_av"), "orosanmalningar", ["anmald_av"])


def _anteckningar() -> None:
    op.create_table(
        "anteckningar",
        _id(),
        _kommun(),
        sa.Column("elev_id", sa.Uuid(), sa.ForeignKey("elever.id"), nullable=False),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id"), nullable=False),
        sa.Column("arende_id", sa.Uuid(), sa.ForeignKey("arenden.id")),
        sa.Column("forfattare_id", sa.Uuid(), sa.ForeignKey("anvandare.id"), nullable=False),
        sa.Column("text", sa.String(20000), nullable=False),
        sa.Column(
            "status", _enum("anteckningsstatus", "utkast", "signerad"), nullable=False
        ),
        sa.Column("signerad", Tidpunkt),
        sa.Column("rattar_id", sa.Uuid(), sa.ForeignKey("anteckningar.id")),
        *_timestamps_and_version(),
    )
    op.create_index("ix_anteckningar_elev_id_id", "anteckningar", ["elev_id", "id"])
    op.create_index(op.f("ix_anteckningar_arende_id"), "anteckningar", ["arende_id"])
    op.create_index(op.f("ix_anteckningar_forfattare_id"), "anteckningar", ["forfattare_id"])
    op.create_index(op.f("ix_anteckningar_rattar_id"), "anteckningar", ["rattar_id"])


def upgrade() -> None:
    _kvalitetsmal()
    _avvikelser()
    _orosanmalningar()
    _anteckningar()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_OROSANMALAN_ANDRAS_EJ)
        op.execute(_PG_SIGNERAD_ANTECKNING)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER signerad_anteckning_andras_ej ON anteckningar")
        op.execute("DROP FUNCTION signerad_anteckning_andras_ej()")
        op.execute("DROP TRIGGER orosanmalan_andras_ej ON orosanmalningar")
        op.execute("DROP FUNCTION orosanmalan_andras_ej()")
    for table in (
        "anteckningar",
        "orosanmalningar",
        "avvikelse_verksamheter",
        "avvikelser",
        "forbattringsatgarder",
        "kvalitetsmal",
    ):
        op.drop_table(table)

"""Plattform: kommuner, skolor, användare, integrationer, inloggningsförsök och granskningslogg.

Revision ID: 20261122_plattform
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_plattform"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Tidpunkt = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


ROLL = _enum(
    "roll", "admin", "elevhalsa", "rektor", "skolsocialt_team", "styrgrupp", "granskare",
    "integration",
)  # fmt: skip
ORGANISATION = _enum("organisation", "skola", "central_elevhalsa", "socialtjanst", "region")
ATGARD = _enum("atgard", "create", "read", "update", "delete", "search", "export", "login")
UTFALL = _enum("utfall", "allowed", "denied")


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("skapad", Tidpunkt, nullable=False),
        sa.Column("andrad", Tidpunkt, nullable=False),
    ]


# The audit log is append-only: the database itself refuses to change or remove a row.
_PG_APPEND_ONLY = """
CREATE FUNCTION audit_logg_endast_tillagg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_logg är endast för tillägg: % nekas', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_logg_endast_tillagg
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_logg
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logg_endast_tillagg();
"""
# Appends rows to a kommun's chain in one statement: lock the head, link each row as
# sha256(previous link ‖ content hash) (app/audit/chain.py), insert it, move the head. The lock is
# then held only for this statement and the commit that follows it.
_PG_APPEND_FUNCTION = """
CREATE FUNCTION audit_tillagg(p_kommun uuid, p_rader jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_lopnummer bigint;
    v_hash varchar(64);
    v_foregaende varchar(64);
    v_rad jsonb;
BEGIN
    SELECT lopnummer, senaste_hash INTO v_lopnummer, v_hash
        FROM audit_kedja WHERE kommun_id = p_kommun FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO audit_kedja (kommun_id, lopnummer, senaste_hash)
            VALUES (p_kommun, 0, repeat('0', 64)) ON CONFLICT (kommun_id) DO NOTHING;
        SELECT lopnummer, senaste_hash INTO v_lopnummer, v_hash
            FROM audit_kedja WHERE kommun_id = p_kommun FOR UPDATE;
    END IF;
    FOR v_rad IN SELECT value FROM jsonb_array_elements(p_rader) LOOP
        v_lopnummer := v_lopnummer + 1;
        v_foregaende := v_hash;
        v_hash := encode(sha256(decode(v_foregaende || (v_rad->>'innehall_hash'), 'hex')), 'hex');
        INSERT INTO audit_logg (
            kommun_id, lopnummer, tidpunkt, aktor_typ, aktor_id, roll, organisation, atgard,
            resurs_typ, resurs_id, elev_id, rattslig_grund, utfall, request_id,
            foregaende_hash, hash
        ) VALUES (
            p_kommun, v_lopnummer, (v_rad->>'tidpunkt')::timestamptz, v_rad->>'aktor_typ',
            (v_rad->>'aktor_id')::uuid, v_rad->>'roll', v_rad->>'organisation', v_rad->>'atgard',
            v_rad->>'resurs_typ', v_rad->>'resurs_id', (v_rad->>'elev_id')::uuid,
            v_rad->>'rattslig_grund', v_rad->>'utfall', v_rad->>'request_id',
            v_foregaende, v_hash
        );
    END LOOP;
    UPDATE audit_kedja SET lopnummer = v_lopnummer, senaste_hash = v_hash
        WHERE kommun_id = p_kommun;
END;
$$;
"""
_SQLITE_APPEND_ONLY = [
    f"""
    CREATE TRIGGER audit_logg_ingen_{operation.lower()}
    BEFORE {operation} ON audit_logg
    BEGIN SELECT RAISE(ABORT, 'audit_logg är endast för tillägg'); END
    """
    for operation in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    op.create_table(
        "kommuner",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("namn", sa.String(100), nullable=False),
        sa.Column("kommunkod", sa.String(4)),
        *_timestamps(),
        sa.UniqueConstraint("namn", name=op.f("uq_kommuner_namn")),
        sa.UniqueConstraint("kommunkod", name=op.f("uq_kommuner_kommunkod")),
    )
    op.create_table(
        "skolor",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False),
        sa.Column("namn", sa.String(200), nullable=False),
        sa.Column("skolenhetskod", sa.String(8), nullable=False),
        *_timestamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("skolenhetskod", name=op.f("uq_skolor_skolenhetskod")),
    )
    op.create_index(op.f("ix_skolor_kommun_id"), "skolor", ["kommun_id"])

    op.create_table(
        "anvandare",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False),
        sa.Column("anvandarnamn", sa.String(64), nullable=False),
        sa.Column("namn", sa.String(200), nullable=False),
        sa.Column("roll", ROLL, nullable=False),
        sa.Column("organisation", ORGANISATION, nullable=False),
        sa.Column("losenord_hash", sa.String(255), nullable=False),
        sa.Column("aktiv", sa.Boolean(), nullable=False),
        sa.Column("token_generation", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("anvandarnamn", name=op.f("uq_anvandare_anvandarnamn")),
    )
    op.create_index(op.f("ix_anvandare_kommun_id"), "anvandare", ["kommun_id"])
    op.create_table(
        "anvandare_skolor",
        sa.Column(
            "anvandare_id",
            sa.Uuid(),
            sa.ForeignKey("anvandare.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id"), primary_key=True),
    )
    op.create_index(op.f("ix_anvandare_skolor_skola_id"), "anvandare_skolor", ["skola_id"])

    op.create_table(
        "integrationer",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False),
        sa.Column("namn", sa.String(200), nullable=False),
        sa.Column("klient_id", sa.String(64), nullable=False),
        sa.Column("hemlighet_hash", sa.String(255), nullable=False),
        sa.Column("aktiv", sa.Boolean(), nullable=False),
        sa.Column("borttagen", Tidpunkt),
        *_timestamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("klient_id", name=op.f("uq_integrationer_klient_id")),
    )
    op.create_index(op.f("ix_integrationer_kommun_id"), "integrationer", ["kommun_id"])
    op.create_table(
        "integration_skolor",
        sa.Column(
            "integration_id",
            sa.Uuid(),
            sa.ForeignKey("integrationer.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("skola_id", sa.Uuid(), sa.ForeignKey("skolor.id"), primary_key=True),
    )
    op.create_index(op.f("ix_integration_skolor_skola_id"), "integration_skolor", ["skola_id"])

    op.create_table(
        "inloggningsforsok",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("nyckel", sa.String(64), nullable=False),
        sa.Column("tidpunkt", Tidpunkt, nullable=False),
    )
    op.create_index(
        "ix_inloggningsforsok_nyckel_tidpunkt", "inloggningsforsok", ["nyckel", "tidpunkt"]
    )
    op.create_index(op.f("ix_inloggningsforsok_tidpunkt"), "inloggningsforsok", ["tidpunkt"])

    op.create_table(
        "audit_kedja",
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), primary_key=True),
        sa.Column("lopnummer", sa.BigInteger(), nullable=False),
        sa.Column("senaste_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_logg",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("kommun_id", sa.Uuid(), sa.ForeignKey("kommuner.id"), nullable=False),
        sa.Column("lopnummer", sa.BigInteger(), nullable=False),
        sa.Column("tidpunkt", Tidpunkt, nullable=False),
        sa.Column("aktor_typ", sa.String(16), nullable=False),
        sa.Column("aktor_id", sa.Uuid(), nullable=False),
        sa.Column("roll", sa.String(32), nullable=False),
        sa.Column("organisation", sa.String(32)),
        sa.Column("atgard", ATGARD, nullable=False),
        sa.Column("resurs_typ", sa.String(64), nullable=False),
        sa.Column("resurs_id", sa.String(64)),
        sa.Column("elev_id", sa.Uuid()),
        sa.Column("rattslig_grund", sa.String(100)),
        sa.Column("utfall", UTFALL, nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Column("foregaende_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint(
            "kommun_id", "lopnummer", name=op.f("uq_audit_logg_kommun_id_lopnummer")
        ),
    )
    op.create_index("ix_audit_logg_kommun_aktor", "audit_logg", ["kommun_id", "aktor_id", "id"])
    op.create_index("ix_audit_logg_kommun_elev", "audit_logg", ["kommun_id", "elev_id", "id"])
    op.create_index("ix_audit_logg_kommun_tidpunkt", "audit_logg", ["kommun_id", "tidpunkt"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
        op.execute(_PG_APPEND_FUNCTION)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_logg_endast_tillagg ON audit_logg")
        op.execute("DROP FUNCTION audit_logg_endast_tillagg()")
        op.execute("DROP FUNCTION audit_tillagg(uuid, jsonb)")
    for table in (
        "audit_logg",
        "audit_kedja",
        "inloggningsforsok",
        "integration_skolor",
        "integrationer",
        "anvandare_skolor",
        "anvandare",
        "skolor",
        "kommuner",
    ):
        op.drop_table(table)

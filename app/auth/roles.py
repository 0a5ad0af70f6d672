"""Roles, organisations and the one table that maps each role to its scopes (API.md, DOMAIN.md)."""

from enum import StrEnum


class Roll(StrEnum):
    admin = "admin"
    elevhalsa = "elevhalsa"
    rektor = "rektor"
    skolsocialt_team = "skolsocialt_team"
    styrgrupp = "styrgrupp"
    granskare = "granskare"
    integration = "integration"


class Organisation(StrEnum):
    skola = "skola"
    central_elevhalsa = "central_elevhalsa"
    socialtjanst = "socialtjanst"
    region = "region"


# Organisations outside the school authority: they see a pupil only under a valid consent.
EXTERNAL_ORGANISATIONS = frozenset({Organisation.socialtjanst, Organisation.region})

# Roles a person can have; `integration` belongs to machine clients only.
PERSON_ROLES = tuple(roll for roll in Roll if roll is not Roll.integration)

SCOPES: dict[str, str] = {
    "skolor:read": "Läsa kommunens skolor",
    "elever:read": "Läsa elever och vårdnadshavare",
    "elever:write": "Registrera och ändra elever och vårdnadshavare",
    "samtycken:read": "Läsa samtycken",
    "samtycken:write": "Registrera, signera och återkalla samtycken",
    "arenden:read": "Läsa ärenden",
    "arenden:write": "Ansöka, handlägga och avsluta ärenden",
    "franvaro:read": "Läsa frånvaro och närvaronivåer",
    "franvaro:write": "Skicka in frånvaro- och elevdata från källsystem",
    "kvalitet:read": "Läsa kvalitetsuppföljning",
    "kvalitet:write": "Sätta mål och analysera i kvalitetsuppföljningen",
    "avvikelser:read": "Läsa avvikelserapporter",
    "avvikelser:write": "Rapportera och besvara avvikelser",
    "audit:read": "Granska loggen och verifiera dess kedja",
    "admin:read": "Läsa skolor, användare och integrationer",
    "admin:write": "Administrera skolor, användare och integrationer",
}

_SCHOOL_STAFF = frozenset(
    {
        "skolor:read",
        "elever:read",
        "elever:write",
        "samtycken:read",
        "samtycken:write",
        "arenden:read",
        "arenden:write",
        "franvaro:read",
        "avvikelser:read",
        "avvikelser:write",
        "kvalitet:read",
    }
)

ROLE_SCOPES: dict[Roll, frozenset[str]] = {
    Roll.admin: frozenset({"skolor:read", "admin:read", "admin:write", "kvalitet:read"}),
    Roll.elevhalsa: _SCHOOL_STAFF,
    Roll.rektor: _SCHOOL_STAFF | {"kvalitet:write"},
    Roll.skolsocialt_team: frozenset(
        {
            "skolor:read",
            "elever:read",
            "samtycken:read",
            "samtycken:write",
            "arenden:read",
            "arenden:write",
            "franvaro:read",
            "avvikelser:read",
            "avvikelser:write",
            # The team's own goals (S 9, T 4.1); the statistics stay with the steering group.
            "kvalitet:read",
        }
    ),
    Roll.styrgrupp: frozenset({"skolor:read", "kvalitet:read", "kvalitet:write"}),
    Roll.granskare: frozenset({"skolor:read", "audit:read"}),
    Roll.integration: frozenset({"franvaro:write"}),
}

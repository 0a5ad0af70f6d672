"""Expected access: which roles may call each route under /api/v1.

This is the policy the authorisation matrix (tests/auth/test_matrix.py) holds the app to. Every
route has a line here, written by hand from the role→scope table in app/auth/roles.py and the
route's `require(...)`; a route added to the app without a line makes the matrix fail. "May call"
means the token is accepted and the scope is held: what the caller then sees is decided by the
scoped queries (own kommun, own schools, consent), not here.
"""

from app.auth.roles import Roll

Route = tuple[str, str]

ADMIN = frozenset({Roll.admin})
GRANSKARE = frozenset({Roll.granskare})
ALLA_PERSONER = frozenset(
    {
        Roll.admin,
        Roll.elevhalsa,
        Roll.rektor,
        Roll.skolsocialt_team,
        Roll.styrgrupp,
        Roll.granskare,
    }
)
ALLA = ALLA_PERSONER | {Roll.integration}
# Who works with pupils: the school's student health and principal, and the skolsocialt team.
ELEVARBETE = frozenset({Roll.elevhalsa, Roll.rektor, Roll.skolsocialt_team})
# Who registers pupils and guardians, and applies to the team: the school.
SKOLPERSONAL = frozenset({Roll.elevhalsa, Roll.rektor})
# Who works a case: the skolsocialt team (meetings, mapping, plan, interventions, follow-ups).
TEAM = frozenset({Roll.skolsocialt_team})
# Who reads the quality statistics (T 4.1, S 3), and who reads and sets the quality goals (S 9).
STATISTIK = frozenset({Roll.styrgrupp, Roll.rektor, Roll.admin})
MALLASARE = frozenset({Roll.rektor, Roll.elevhalsa, Roll.styrgrupp, Roll.skolsocialt_team})
MALSATTARE = frozenset({Roll.rektor, Roll.styrgrupp})
# Who sends absence and the roster: integration clients only (franvaro:write).
INTEGRATION = frozenset({Roll.integration})

# Callable without a token.
PUBLIC: frozenset[Route] = frozenset(
    {
        ("POST", "/api/v1/auth/token"),
    }
)

ACCESS: dict[Route, frozenset[Roll]] = {
    # auth
    ("GET", "/api/v1/auth/me"): ALLA,
    # skolor: every person of the kommun reads them; the administrator keeps them
    ("GET", "/api/v1/skolor"): ALLA_PERSONER,
    ("POST", "/api/v1/skolor"): ADMIN,
    ("GET", "/api/v1/skolor/{skola_id}"): ALLA_PERSONER,
    ("PATCH", "/api/v1/skolor/{skola_id}"): ADMIN,
    # anvandare
    ("GET", "/api/v1/anvandare"): ADMIN,
    ("POST", "/api/v1/anvandare"): ADMIN,
    ("GET", "/api/v1/anvandare/{anvandare_id}"): ADMIN,
    ("PATCH", "/api/v1/anvandare/{anvandare_id}"): ADMIN,
    # integrationer
    ("GET", "/api/v1/integrationer"): ADMIN,
    ("POST", "/api/v1/integrationer"): ADMIN,
    ("GET", "/api/v1/integrationer/{integration_id}"): ADMIN,
    ("DELETE", "/api/v1/integrationer/{integration_id}"): ADMIN,
    # elever and vardnadshavare: the team reads, the school writes
    ("GET", "/api/v1/elever"): ELEVARBETE,
    ("POST", "/api/v1/elever"): SKOLPERSONAL,
    ("POST", "/api/v1/elever/sok"): ELEVARBETE,
    ("GET", "/api/v1/elever/{elev_id}"): ELEVARBETE,
    ("PATCH", "/api/v1/elever/{elev_id}"): SKOLPERSONAL,
    ("GET", "/api/v1/elever/{elev_id}/vardnadshavare"): ELEVARBETE,
    ("POST", "/api/v1/elever/{elev_id}/vardnadshavare"): SKOLPERSONAL,
    ("PATCH", "/api/v1/elever/{elev_id}/vardnadshavare/{vardnadshavare_id}"): SKOLPERSONAL,
    ("DELETE", "/api/v1/elever/{elev_id}/vardnadshavare/{vardnadshavare_id}"): SKOLPERSONAL,
    # samtycken: the school and the team register, sign and withdraw
    ("GET", "/api/v1/elever/{elev_id}/samtycken"): ELEVARBETE,
    ("POST", "/api/v1/elever/{elev_id}/samtycken"): ELEVARBETE,
    ("GET", "/api/v1/samtycken/{samtycke_id}"): ELEVARBETE,
    ("PATCH", "/api/v1/samtycken/{samtycke_id}"): ELEVARBETE,
    ("POST", "/api/v1/samtycken/{samtycke_id}/signaturer"): ELEVARBETE,
    ("POST", "/api/v1/samtycken/{samtycke_id}/aterkallelse"): ELEVARBETE,
    # arenden: the school applies and completes its application; the team works the case;
    # both read it. Phase changes and closure: the team, and the school for tackar_nej only
    # (decided in the service, so the route admits both).
    ("GET", "/api/v1/arenden"): ELEVARBETE,
    ("POST", "/api/v1/arenden"): SKOLPERSONAL,
    ("GET", "/api/v1/arenden/{arende_id}"): ELEVARBETE,
    ("PATCH", "/api/v1/arenden/{arende_id}"): ELEVARBETE,
    ("GET", "/api/v1/arenden/{arende_id}/faser"): ELEVARBETE,
    ("POST", "/api/v1/arenden/{arende_id}/faser"): ELEVARBETE,
    ("POST", "/api/v1/arenden/{arende_id}/avslut"): ELEVARBETE,
    ("GET", "/api/v1/arenden/{arende_id}/moten"): ELEVARBETE,
    ("POST", "/api/v1/arenden/{arende_id}/moten"): TEAM,
    ("PATCH", "/api/v1/arenden/{arende_id}/moten/{mote_id}"): TEAM,
    ("GET", "/api/v1/arenden/{arende_id}/kartlaggning"): ELEVARBETE,
    ("PUT", "/api/v1/arenden/{arende_id}/kartlaggning"): TEAM,
    ("GET", "/api/v1/arenden/{arende_id}/ansvarsplan"): ELEVARBETE,
    ("PUT", "/api/v1/arenden/{arende_id}/ansvarsplan"): TEAM,
    ("GET", "/api/v1/arenden/{arende_id}/ansvarsplan/versioner"): ELEVARBETE,
    ("GET", "/api/v1/arenden/{arende_id}/insatser"): ELEVARBETE,
    ("POST", "/api/v1/arenden/{arende_id}/insatser"): TEAM,
    ("PATCH", "/api/v1/arenden/{arende_id}/insatser/{insats_id}"): TEAM,
    ("GET", "/api/v1/arenden/{arende_id}/uppfoljningar"): ELEVARBETE,
    ("POST", "/api/v1/arenden/{arende_id}/uppfoljningar"): TEAM,
    # orosanmalningar: whoever knows the pupil registers, never gated on consent (T 5); who
    # then sees which reports is decided in app/orosanmalningar/access.py
    ("GET", "/api/v1/elever/{elev_id}/orosanmalningar"): ELEVARBETE,
    ("POST", "/api/v1/elever/{elev_id}/orosanmalningar"): ELEVARBETE,
    ("GET", "/api/v1/elever/{elev_id}/orosanmalningar/{anmalan_id}"): ELEVARBETE,
    # anteckningar: the school's student health documentation (S 8)
    ("GET", "/api/v1/elever/{elev_id}/anteckningar"): SKOLPERSONAL,
    ("POST", "/api/v1/elever/{elev_id}/anteckningar"): SKOLPERSONAL,
    ("GET", "/api/v1/elever/{elev_id}/anteckningar/{anteckning_id}"): SKOLPERSONAL,
    ("PATCH", "/api/v1/elever/{elev_id}/anteckningar/{anteckning_id}"): SKOLPERSONAL,
    ("POST", "/api/v1/elever/{elev_id}/anteckningar/{anteckning_id}/signering"): SKOLPERSONAL,
    # avvikelser: the school and the team report; status steps are divided in the service
    ("GET", "/api/v1/avvikelser"): ELEVARBETE,
    ("POST", "/api/v1/avvikelser"): ELEVARBETE,
    ("GET", "/api/v1/avvikelser/{avvikelse_id}"): ELEVARBETE,
    ("PATCH", "/api/v1/avvikelser/{avvikelse_id}"): ELEVARBETE,
    # kvalitetsuppfoljning
    # frånvaro: integrations send; those who work with pupils read; the administrator sets the
    # kommun's thresholds
    ("POST", "/api/v1/franvaro"): INTEGRATION,
    ("POST", "/api/v1/import/ss12000/organisations"): INTEGRATION,
    ("POST", "/api/v1/import/ss12000/persons"): INTEGRATION,
    ("POST", "/api/v1/import/ss12000/calendarEvents"): INTEGRATION,
    ("POST", "/api/v1/import/ss12000/attendances"): INTEGRATION,
    ("POST", "/api/v1/import/ss12000/absences"): INTEGRATION,
    ("POST", "/api/v1/import/ss12000/aggregatedAttendance"): INTEGRATION,
    ("GET", "/api/v1/elever/{elev_id}/franvaro"): ELEVARBETE,
    ("GET", "/api/v1/narvarovarningar"): ELEVARBETE,
    ("GET", "/api/v1/narvarogranser"): ADMIN,
    ("PUT", "/api/v1/narvarogranser"): ADMIN,
    ("GET", "/api/v1/kvalitetsuppfoljning/statistik"): STATISTIK,
    ("GET", "/api/v1/kvalitetsuppfoljning/mal"): MALLASARE,
    ("POST", "/api/v1/kvalitetsuppfoljning/mal"): MALSATTARE,
    ("GET", "/api/v1/kvalitetsuppfoljning/mal/{mal_id}"): MALLASARE,
    ("PATCH", "/api/v1/kvalitetsuppfoljning/mal/{mal_id}"): MALSATTARE,
    ("POST", "/api/v1/kvalitetsuppfoljning/mal/{mal_id}/utfall"): MALSATTARE,
    (
        "POST",
        "/api/v1/kvalitetsuppfoljning/mal/{mal_id}/forbattringsatgarder/{atgard_id}/nasta_mal",
    ): MALSATTARE,
    # audit
    ("GET", "/api/v1/elever/{elev_id}/atkomstlogg"): GRANSKARE,
    ("GET", "/api/v1/audit"): GRANSKARE,
    ("GET", "/api/v1/audit/verifiering"): GRANSKARE,
}

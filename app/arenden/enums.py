"""The vocabulary of a case with the skolsocialt team (DOMAIN.md: Case workflow; T 7)."""

from enum import StrEnum


class Fas(StrEnum):
    """A phase of the case (T 7.1–7.8)."""

    ansokan = "ansokan"
    beredning = "beredning"
    uppstart = "uppstart"
    kartlaggning = "kartlaggning"
    ansvarsplanering = "ansvarsplanering"
    genomforande = "genomforande"
    uppfoljning = "uppfoljning"
    avslutat = "avslutat"


class Avslutsorsak(StrEnum):
    """Why the team's work with the pupil ended (T 7.8; `ej_beviljad` is the rejection in T 7.2)."""

    behov_upphort = "behov_upphort"
    tackar_nej = "tackar_nej"
    flyttar = "flyttar"
    andra_insatser = "andra_insatser"
    ej_beviljad = "ej_beviljad"


class Motestyp(StrEnum):
    uppstart_skola = "uppstart_skola"
    uppstart_elev_vardnadshavare = "uppstart_elev_vardnadshavare"
    ansvarsplanering = "ansvarsplanering"
    uppfoljning = "uppfoljning"
    ovrigt = "ovrigt"


class Deltagarroll(StrEnum):
    """Who took part in a meeting (T 7.3: skolledning, mentor, EHT; T 7.5: other actors)."""

    elev = "elev"
    vardnadshavare = "vardnadshavare"
    skolledning = "skolledning"
    mentor = "mentor"
    elevhalsa = "elevhalsa"
    larare = "larare"
    ovrig_skolpersonal = "ovrig_skolpersonal"
    skolsocialt_team = "skolsocialt_team"
    socialtjanst = "socialtjanst"
    region = "region"
    annan = "annan"


# T 7.3: the school's contact person is one of the school's people at the start-up meeting.
SKOLANS_ROLLER = frozenset(
    {
        Deltagarroll.skolledning,
        Deltagarroll.mentor,
        Deltagarroll.elevhalsa,
        Deltagarroll.larare,
        Deltagarroll.ovrig_skolpersonal,
    }
)


class Insatstyp(StrEnum):
    """Interventions (T 7.6, R, K)."""

    motiverande_samtal = "motiverande_samtal"
    stodjande_samtal_elev = "stodjande_samtal_elev"
    stodjande_samtal_vardnadshavare = "stodjande_samtal_vardnadshavare"
    krissamtal = "krissamtal"
    sociala_anpassningar = "sociala_anpassningar"
    fysiska_anpassningar = "fysiska_anpassningar"
    relationsskapande_aktivitet = "relationsskapande_aktivitet"
    stod_organisera_fritid_skolarbete = "stod_organisera_fritid_skolarbete"
    pedagogisk_handledning = "pedagogisk_handledning"
    stod_i_undervisning = "stod_i_undervisning"
    kontakt_narvarorapport_hem = "kontakt_narvarorapport_hem"
    annan = "annan"


class Insatsstatus(StrEnum):
    planerad = "planerad"
    pagaende = "pagaende"
    avslutad = "avslutad"
    avbruten = "avbruten"


class Ansvarspart(StrEnum):
    """Who carries a responsibility in the plan (T 7.5: ansvarsfördelning)."""

    elev_och_vardnadshavare = "elev_och_vardnadshavare"
    skola = "skola"
    skolsocialt_team = "skolsocialt_team"
    ovriga_aktorer = "ovriga_aktorer"


class Malresultat(StrEnum):
    """A goal's evaluation at a follow-up (T 7.7)."""

    uppnatt = "uppnatt"
    delvis = "delvis"
    ej_uppnatt = "ej_uppnatt"


class Forfalloorsak(StrEnum):
    """What the next due date of a case is for."""

    uppstartsmoten = "uppstartsmoten"
    uppfoljning = "uppfoljning"

"""The case's phases as a pure state machine (DOMAIN.md: Case workflow; T 7).

A phase change is allowed when the transition table has it and every gate of the target phase
holds. Gates are functions over plain data that list what is missing; an empty list means go.
Nothing here reads the database or the clock: the service gathers the facts, and the same facts
always give the same answer.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from app.arenden.enums import Ansvarspart, Avslutsorsak, Fas, Motestyp
from app.arenden.lage import (
    Arendelage,
    Brist,
    Fasbegaran,
    Handlaggarlage,
    Motesuppgift,
    Planuppgift,
)
from app.samtycken.models import Part
from app.samtycken.rules import Bedomning, SamtyckeStatus

OPPNA_FASER = frozenset(fas for fas in Fas if fas is not Fas.avslutat)

# Phases in which the team works the case: after approval, before closure.
ARBETSFASER = frozenset(
    {Fas.uppstart, Fas.kartlaggning, Fas.ansvarsplanering, Fas.genomforande, Fas.uppfoljning}
)

# T 4.2, 7.1: the application rests on consent that school and social services may collaborate.
KRAVDA_PARTER = (Part.skola, Part.socialtjanst)

# The transition table: from each phase, the phases it may go to and what the step means.
# Closure is listed from every open phase; which reasons apply where is AVSLUT_FRAN's concern.
OVERGANGAR: Mapping[Fas, Mapping[Fas, str]] = {
    Fas.ansokan: {
        Fas.beredning: "teamet tar upp ansökan (T 7.2)",
        Fas.avslutat: "avslut",
    },
    Fas.beredning: {
        Fas.ansokan: "komplettering begärs av skolan (T 7.2)",
        Fas.uppstart: "ansökan beviljas och en handläggare utses (T 7.2)",
        Fas.avslutat: "avslag (ej_beviljad) eller avslut",
    },
    Fas.uppstart: {
        Fas.kartlaggning: "uppstartsmötena är hållna (T 7.3)",
        Fas.avslutat: "avslut",
    },
    Fas.kartlaggning: {
        Fas.ansvarsplanering: "kartläggningen är dokumenterad (T 7.4)",
        Fas.avslutat: "avslut",
    },
    Fas.ansvarsplanering: {
        Fas.genomforande: "ansvarsplanen är komplett (T 7.5)",
        Fas.avslutat: "avslut",
    },
    Fas.genomforande: {
        Fas.uppfoljning: "en uppföljning är hållen (T 7.7)",
        Fas.avslutat: "avslut",
    },
    Fas.uppfoljning: {
        Fas.genomforande: "arbetet fortsätter efter uppföljningen (T 7.7)",
        Fas.avslutat: "avslut efter uppföljning (T 7.8)",
    },
    Fas.avslutat: {},
}

# From which phases each closure reason applies. The pupil and guardians may decline at any time
# (T 6: they must accept the intervention), and a family that moves away ends the work wherever
# it stands; an application is rejected only in beredning (T 7.2); a finished need or a need of
# other interventions is what a follow-up concludes (T 7.7, 7.8).
AVSLUT_FRAN: Mapping[Avslutsorsak, frozenset[Fas]] = {
    Avslutsorsak.tackar_nej: OPPNA_FASER,
    Avslutsorsak.flyttar: OPPNA_FASER,
    Avslutsorsak.ej_beviljad: frozenset({Fas.beredning}),
    Avslutsorsak.behov_upphort: frozenset({Fas.uppfoljning}),
    Avslutsorsak.andra_insatser: frozenset({Fas.uppfoljning}),
}

ANSVAR_SOM_KRAVS = (
    Ansvarspart.elev_och_vardnadshavare,
    Ansvarspart.skola,
    Ansvarspart.skolsocialt_team,
)
_ANSVAR_TEXT = {
    Ansvarspart.elev_och_vardnadshavare: "elev och vårdnadshavare",
    Ansvarspart.skola: "skolan",
    Ansvarspart.skolsocialt_team: "det skolsociala teamet",
}


def tillatna_mal(fran: Fas) -> list[Fas]:
    return list(OVERGANGAR[fran])


def samtycke_brister(bedomning: Bedomning, *, plats: str) -> list[Brist]:
    """What keeps the consent from carrying the case: in force, naming school and social
    services (T 4.2, 7.1)."""
    status = bedomning.status
    if status is SamtyckeStatus.aterkallat:
        return [Brist(plats, "Samtycket är återkallat.")]
    if status is SamtyckeStatus.utgatt:
        return [Brist(plats, "Samtyckets giltighetstid har gått ut.")]
    found = []
    if bedomning.ingen_vardnadshavare:
        found.append(Brist(plats, "Ingen vårdnadshavare med vårdnad är registrerad."))
    for signer in bedomning.saknade_signaturer:
        who = "eleven" if signer.vardnadshavare_id is None else "en vårdnadshavare med vårdnad"
        found.append(Brist(plats, f"Signatur saknas från {who} ({signer.nyckel})."))
    if status is SamtyckeStatus.vantar_signatur and not found:
        found.append(Brist(plats, "Samtyckets giltighetstid har inte börjat."))
    for part in KRAVDA_PARTER:
        if part not in bedomning.parter:
            found.append(Brist(plats, f"Samtycket omfattar inte {part}."))
    return found


def _till_beredning(lage: Arendelage, _begaran: Fasbegaran) -> list[Brist]:
    found = samtycke_brister(lage.samtycke, plats="samtycke")
    if lage.komplettering_obesvarad:
        found.append(
            Brist("komplettering", "Skolan har inte kompletterat ansökan sedan det begärdes.")
        )
    return found


def _till_ansokan(_lage: Arendelage, begaran: Fasbegaran) -> list[Brist]:
    if begaran.saknas:
        return []
    return [Brist("body.saknas", "Ange vad ansökan behöver kompletteras med (T 7.2).")]


def handlaggare_brister(handlaggare: Handlaggarlage | None) -> list[Brist]:
    plats = "body.handlaggare_id"
    if handlaggare is None:
        return [Brist(plats, "Ange en handläggare i det skolsociala teamet (T 7.2).")]
    if not handlaggare.i_kommunen:
        return [Brist(plats, "Handläggaren finns inte bland kommunens användare.")]
    checks = (
        (handlaggare.aktiv, "Handläggaren är inte en aktiv användare."),
        (handlaggare.i_teamet, "Handläggaren hör inte till det skolsociala teamet."),
        (
            handlaggare.omfattas_av_samtycke,
            "Handläggarens organisation omfattas inte av elevens samtycke.",
        ),
    )
    return [Brist(plats, text) for holds, text in checks if not holds]


def _till_uppstart(lage: Arendelage, begaran: Fasbegaran) -> list[Brist]:
    return samtycke_brister(lage.samtycke, plats="samtycke") + handlaggare_brister(
        begaran.handlaggare
    )


def hallna_moten(moten: Iterable[Motesuppgift], typ: Motestyp, *, idag: date) -> list[Motesuppgift]:
    """Meetings of the type held by today, with minutes written."""
    return [
        mote
        for mote in moten
        if mote.typ is typ and mote.har_minnesanteckningar and mote.datum <= idag
    ]


def uppstartsmoten_hallna(moten: Iterable[Motesuppgift], *, idag: date) -> bool:
    """Both start-up meetings held (T 7.3): what the start-up deadline waits for."""
    moten = tuple(moten)
    return all(
        hallna_moten(moten, typ, idag=idag)
        for typ in (Motestyp.uppstart_skola, Motestyp.uppstart_elev_vardnadshavare)
    )


def _till_kartlaggning(lage: Arendelage, _begaran: Fasbegaran) -> list[Brist]:
    skola = hallna_moten(lage.moten, Motestyp.uppstart_skola, idag=lage.idag)
    hem = hallna_moten(lage.moten, Motestyp.uppstart_elev_vardnadshavare, idag=lage.idag)
    found = []
    if not skola:
        found.append(
            Brist(
                "moten.uppstart_skola",
                "Uppstartsmötet med skolan är inte hållet med minnesanteckningar (T 7.3).",
            )
        )
    if not any(mote.kontaktperson_utsedd for mote in skola):
        found.append(
            Brist(
                "moten.uppstart_skola.deltagare",
                "Ingen av skolans deltagare på uppstartsmötet är utsedd till kontaktperson "
                "(T 7.3).",
            )
        )
    if not hem:
        found.append(
            Brist(
                "moten.uppstart_elev_vardnadshavare",
                "Uppstartsmötet med elev och vårdnadshavare är inte hållet med "
                "minnesanteckningar (T 7.3).",
            )
        )
    elif skola and max(m.datum for m in hem) < min(m.datum for m in skola):
        found.append(
            Brist(
                "moten.uppstart_elev_vardnadshavare",
                "Mötet med elev och vårdnadshavare hålls efter uppstartsmötet med skolan (T 7.3).",
            )
        )
    return found


def _till_ansvarsplanering(lage: Arendelage, _begaran: Fasbegaran) -> list[Brist]:
    if lage.kartlaggning_dokumenterad:
        return []
    return [Brist("kartlaggning.sammanfattning", "Kartläggningen är inte dokumenterad (T 7.4).")]


def _mal_brister(plan: Planuppgift) -> list[Brist]:
    if not plan.mal:
        return [Brist("ansvarsplan.mal", "Minst ett mätbart mål med måldatum krävs (T 7.5).")]
    found = []
    for index, mal in enumerate(plan.mal):
        if not mal.matt:
            found.append(Brist(f"ansvarsplan.mal.{index}.matt", "Målet saknar hur det mäts."))
        if not mal.maldatum:
            found.append(Brist(f"ansvarsplan.mal.{index}.maldatum", "Målet saknar måldatum."))
    return found


def _ansvar_brister(plan: Planuppgift) -> list[Brist]:
    return [
        Brist(
            f"ansvarsplan.ansvar.{part}",
            f"Ansvaret för {_ANSVAR_TEXT[part]} är inte beskrivet (T 7.5).",
        )
        for part in ANSVAR_SOM_KRAVS
        if part not in plan.ansvar
    ]


def _tidsplan_brister(plan: Planuppgift) -> list[Brist]:
    if not plan.planerade_insatser:
        return [
            Brist(
                "ansvarsplan.planerade_insatser",
                "Minst en planerad insats med tidsplan krävs (T 7.5).",
            )
        ]
    return [
        Brist(
            f"ansvarsplan.planerade_insatser.{index}",
            "Insatsen saknar start- eller slutdatum i tidsplanen.",
        )
        for index, post in enumerate(plan.planerade_insatser)
        if post.start is None or post.slut is None
    ]


def _uppfoljning_brister(plan: Planuppgift) -> list[Brist]:
    found = []
    if not plan.uppfoljningsdatum:
        found.append(
            Brist("ansvarsplan.uppfoljningsdatum", "Minst ett uppföljningsdatum krävs (T 7.5).")
        )
    if not plan.uppfoljningsmetod:
        found.append(
            Brist(
                "ansvarsplan.uppfoljningsmetod",
                "Hur uppföljningen går till är inte beskrivet (T 7.5).",
            )
        )
    return found


def plan_brister(plan: Planuppgift) -> list[Brist]:
    """What a plan lacks to be complete (T 7.5): the current situation, measurable goals with
    target dates, each party's responsibility, a timeline of interventions, follow-up dates and
    how follow-up is done."""
    nulage = (
        [] if plan.nulage else [Brist("ansvarsplan.nulage", "Nuläget är inte beskrivet (T 7.5).")]
    )
    return (
        nulage
        + _mal_brister(plan)
        + _ansvar_brister(plan)
        + _tidsplan_brister(plan)
        + _uppfoljning_brister(plan)
    )


def _till_genomforande(lage: Arendelage, _begaran: Fasbegaran) -> list[Brist]:
    return plan_brister(lage.plan)


def _till_uppfoljning(lage: Arendelage, _begaran: Fasbegaran) -> list[Brist]:
    if lage.uppfoljning_sedan_genomforande:
        return []
    return [
        Brist(
            "uppfoljningar",
            "Registrera uppföljningen (POST …/uppfoljningar) innan ärendet går till uppföljning.",
        )
    ]


def _till_avslutat(lage: Arendelage, begaran: Fasbegaran) -> list[Brist]:
    orsak = begaran.avslutsorsak
    found = []
    if orsak is None:
        found.append(Brist("body.avslutsorsak", "Ange en avslutsorsak (T 7.8)."))
    elif lage.fas not in AVSLUT_FRAN[orsak]:
        mojliga = sorted(o for o, faser in AVSLUT_FRAN.items() if lage.fas in faser)
        found.append(
            Brist(
                "body.avslutsorsak",
                f"Avslutsorsaken {orsak} gäller inte i fasen {lage.fas}; "
                f"möjliga här: {', '.join(mojliga)}.",
            )
        )
    if orsak is Avslutsorsak.ej_beviljad:
        if begaran.vidmakthallandeplan:
            found.append(
                Brist(
                    "body.vidmakthallandeplan",
                    "Ett avslag (ej_beviljad) har ingen plan för vidmakthållande.",
                )
            )
    elif not begaran.vidmakthallandeplan:
        found.append(
            Brist(
                "body.vidmakthallandeplan",
                "Vid avslut finns alltid en plan för vidmakthållande (T 7.8).",
            )
        )
    return found


Grind = Callable[[Arendelage, Fasbegaran], list[Brist]]


def _medan_samtycket_bar(grind: Grind) -> Grind:
    """A step of the team's work also needs the consent to carry the case still: after a
    withdrawal the case closes (tackar_nej) or waits for a new consent (DOMAIN.md: Consent)."""

    def med_samtycke(lage: Arendelage, begaran: Fasbegaran) -> list[Brist]:
        return samtycke_brister(lage.samtycke, plats="samtycke") + grind(lage, begaran)

    return med_samtycke


# The gates of each target phase (DOMAIN.md: "entered when").
GRINDAR: Mapping[Fas, Grind] = {
    Fas.ansokan: _till_ansokan,
    Fas.beredning: _till_beredning,
    Fas.uppstart: _till_uppstart,
    Fas.kartlaggning: _medan_samtycket_bar(_till_kartlaggning),
    Fas.ansvarsplanering: _medan_samtycket_bar(_till_ansvarsplanering),
    Fas.genomforande: _medan_samtycket_bar(_till_genomforande),
    Fas.uppfoljning: _medan_samtycket_bar(_till_uppfoljning),
    Fas.avslutat: _till_avslutat,
}


def brister(lage: Arendelage, begaran: Fasbegaran) -> list[Brist]:
    """Every unmet gate of the requested change; empty when it may happen."""
    if begaran.till not in OVERGANGAR[lage.fas]:
        if lage.fas is Fas.avslutat:
            text = "Ärendet är avslutat och byter inte fas."
        else:
            text = f"Från {lage.fas} kan ärendet gå till: {', '.join(tillatna_mal(lage.fas))}."
        return [Brist("body.till", text)]
    return GRINDAR[begaran.till](lage, begaran)

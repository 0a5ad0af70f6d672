"""The plain facts the phase gates look at (rules.py): the case as it stands and what a
request for a phase change brings. Built by fakta.py from the database, or by hand in tests."""

from dataclasses import dataclass, field
from datetime import date

from app.arenden.enums import Ansvarspart, Avslutsorsak, Fas, Motestyp
from app.samtycken.rules import Bedomning


@dataclass(frozen=True, slots=True)
class Brist:
    """One unmet gate: where it is and what is missing, in Swedish."""

    plats: str
    meddelande: str

    def som_fel(self) -> dict[str, str]:
        return {"plats": self.plats, "meddelande": self.meddelande}


@dataclass(frozen=True, slots=True)
class Handlaggarlage:
    """What is known about the user named as handläggare."""

    i_kommunen: bool
    aktiv: bool = True
    i_teamet: bool = True
    omfattas_av_samtycke: bool = True


@dataclass(frozen=True, slots=True)
class Motesuppgift:
    typ: Motestyp
    datum: date
    har_minnesanteckningar: bool
    kontaktperson_utsedd: bool = False


@dataclass(frozen=True, slots=True)
class Malsuppgift:
    matt: bool
    maldatum: bool


@dataclass(frozen=True, slots=True)
class Tidsplanpost:
    start: date | None
    slut: date | None


@dataclass(frozen=True, slots=True)
class Planuppgift:
    """What the plan says, reduced to what completeness depends on (T 7.5)."""

    nulage: bool = False
    mal: tuple[Malsuppgift, ...] = ()
    ansvar: frozenset[Ansvarspart] = frozenset()
    planerade_insatser: tuple[Tidsplanpost, ...] = ()
    uppfoljningsdatum: tuple[date, ...] = ()
    uppfoljningsmetod: bool = False


@dataclass(frozen=True, slots=True)
class Arendelage:
    """The case as the gates see it."""

    fas: Fas
    idag: date
    samtycke: Bedomning
    komplettering_obesvarad: bool = False
    moten: tuple[Motesuppgift, ...] = ()
    kartlaggning_dokumenterad: bool = False
    plan: Planuppgift = field(default_factory=Planuppgift)
    uppfoljning_sedan_genomforande: bool = False


@dataclass(frozen=True, slots=True)
class Fasbegaran:
    """A requested phase change and what the request brings for it."""

    till: Fas
    saknas: tuple[str, ...] = ()
    handlaggare: Handlaggarlage | None = None
    avslutsorsak: Avslutsorsak | None = None
    vidmakthallandeplan: bool = False

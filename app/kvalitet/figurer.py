"""The figures of the quality statistics and their groups (DOMAIN.md: Quality follow-up; T 4.1:
"efterfråga resultat", "statistik kring frånvaro och typer av insatser"; S 9).

A figure is one question the steering group asks; each answers with one value per group and
measure. The list is closed, so that a figure can be named as a goal's indicator (mal/) and a
row of the CSV export means the same thing every period.
"""

from dataclasses import dataclass
from enum import StrEnum

from app.arenden.enums import Avslutsorsak, Fas, Insatstyp, Malresultat
from app.avvikelser.enums import Avvikelsestatus
from app.franvaro.rules import Narvaroniva

MINSTA_ANTAL_ELEVER = 5


class Figur(StrEnum):
    arenden_per_fas = "arenden_per_fas"
    arenden_i_perioden = "arenden_i_perioden"
    ledtider = "ledtider"
    insatser_per_typ = "insatser_per_typ"
    avslutsorsaker = "avslutsorsaker"
    malbedomningar = "malbedomningar"
    elever_per_narvaroniva = "elever_per_narvaroniva"
    franvaroforandring = "franvaroforandring"
    avvikelser_per_status = "avvikelser_per_status"
    orosanmalningar = "orosanmalningar"


class Matt(StrEnum):
    antal = "antal"
    median_dagar = "median_dagar"
    p90_dagar = "p90_dagar"
    median_procentenheter = "median_procentenheter"


class Saknas(StrEnum):
    """Why a value is null: withheld because it rests on fewer than five pupils or would let such
    a value be worked out; or not computable until absence data is stored."""

    undertryckt = "undertryckt"
    ingen_franvarodata = "ingen_franvarodata"


class Periodgrupp(StrEnum):
    """Cases by what happened to them in the period."""

    nya = "nya"
    beviljade = "beviljade"
    avslagna = "avslagna"
    avslutade = "avslutade"


ANSOKAN_TILL_AVSLUT = "ansokan_till_avslut"
ANTAL = "antal"
LEDTIDSFASER = tuple(fas for fas in Fas if fas is not Fas.avslutat)


@dataclass(frozen=True, slots=True)
class Figurdef:
    figur: Figur
    grupper: tuple[str, ...]
    matt: tuple[Matt, ...]
    beskrivning: str
    # Whether the figure counts pupils' data, and so is suppressed below five pupils.
    elevbaserad: bool = True


FIGURER: tuple[Figurdef, ...] = (
    Figurdef(
        Figur.arenden_per_fas,
        tuple(Fas),
        (Matt.antal,),
        "Ärenden per fas nu, oavsett period.",
    ),
    Figurdef(
        Figur.arenden_i_perioden,
        tuple(Periodgrupp),
        (Matt.antal,),
        "Ärenden under perioden: nya ansökningar, beviljade, avslagna (ej_beviljad) och "
        "avslutade av andra skäl.",
    ),
    Figurdef(
        Figur.ledtider,
        (*LEDTIDSFASER, ANSOKAN_TILL_AVSLUT),
        (Matt.median_dagar, Matt.p90_dagar),
        "Dagar i varje fas, för varje tid i en fas som slutade under perioden, och dagar från "
        "ansökan till avslut för ärenden avslutade under perioden (utom avslag).",
    ),
    Figurdef(
        Figur.insatser_per_typ,
        tuple(Insatstyp),
        (Matt.antal,),
        "Insatser som pågick någon gång under perioden (ej bara planerade), per typ.",
    ),
    Figurdef(
        Figur.avslutsorsaker,
        tuple(Avslutsorsak),
        (Matt.antal,),
        "Ärenden avslutade under perioden, per orsak.",
    ),
    Figurdef(
        Figur.malbedomningar,
        tuple(Malresultat),
        (Matt.antal,),
        "Mål i ansvarsplanerna efter den senaste bedömningen under perioden.",
    ),
    Figurdef(
        Figur.elever_per_narvaroniva,
        tuple(Narvaroniva),
        (Matt.antal,),
        "Elever per närvaronivå de senaste åtta skolveckorna före periodens slut (T 2).",
    ),
    Figurdef(
        Figur.franvaroforandring,
        (ANSOKAN_TILL_AVSLUT,),
        (Matt.median_procentenheter,),
        "Ärenden avslutade under perioden (utom avslag): frånvaroandelen de sista åtta "
        "skolveckorna före avslut minus de åtta skolveckorna före ansökan, median i "
        "procentenheter (negativ = minskad frånvaro).",
    ),
    Figurdef(
        Figur.avvikelser_per_status,
        tuple(Avvikelsestatus),
        (Matt.antal,),
        "Avvikelser med händelsedatum i perioden, per status nu. Avvikelser gäller "
        "verksamheter, inte elever, och undertrycks inte.",
        elevbaserad=False,
    ),
    Figurdef(
        Figur.orosanmalningar,
        (ANTAL,),
        (Matt.antal,),
        "Orosanmälningar gjorda under perioden.",
    ),
)

FIGURDEF = {definition.figur: definition for definition in FIGURER}

"""A goal's indicator: one of the computed figures (a closed list), or entered by hand (S 9:
goals "med indikatorer … beräknade ur data eller inmatade")."""

from dataclasses import dataclass
from enum import StrEnum

from app.arenden.enums import Avslutsorsak, Fas, Malresultat
from app.avvikelser.enums import Avvikelsestatus
from app.franvaro.rules import Narvaroniva
from app.kvalitet.figurer import ANSOKAN_TILL_AVSLUT, ANTAL, Figur, Matt, Periodgrupp


class Indikator(StrEnum):
    nya_arenden = "nya_arenden"
    beviljade_arenden = "beviljade_arenden"
    avslagna_arenden = "avslagna_arenden"
    avslutade_arenden = "avslutade_arenden"
    avslut_behov_upphort = "avslut_behov_upphort"
    avslut_tackar_nej = "avslut_tackar_nej"
    mal_uppnatt = "mal_uppnatt"
    mal_delvis = "mal_delvis"
    mal_ej_uppnatt = "mal_ej_uppnatt"
    median_dagar_beredning = "median_dagar_beredning"
    median_dagar_uppstart = "median_dagar_uppstart"
    median_dagar_ansokan_till_avslut = "median_dagar_ansokan_till_avslut"
    p90_dagar_ansokan_till_avslut = "p90_dagar_ansokan_till_avslut"
    orosanmalningar = "orosanmalningar"
    avvikelser_besvarade = "avvikelser_besvarade"
    elever_narvaroniva_orange = "elever_narvaroniva_orange"
    median_franvaroforandring = "median_franvaroforandring"
    manuell = "manuell"


@dataclass(frozen=True, slots=True)
class Cellref:
    """Which value of the statistics an indicator is."""

    figur: Figur
    grupp: str
    matt: Matt


BERAKNADE: dict[Indikator, Cellref] = {
    Indikator.nya_arenden: Cellref(Figur.arenden_i_perioden, Periodgrupp.nya, Matt.antal),
    Indikator.beviljade_arenden: Cellref(
        Figur.arenden_i_perioden, Periodgrupp.beviljade, Matt.antal
    ),
    Indikator.avslagna_arenden: Cellref(Figur.arenden_i_perioden, Periodgrupp.avslagna, Matt.antal),
    Indikator.avslutade_arenden: Cellref(
        Figur.arenden_i_perioden, Periodgrupp.avslutade, Matt.antal
    ),
    Indikator.avslut_behov_upphort: Cellref(
        Figur.avslutsorsaker, Avslutsorsak.behov_upphort, Matt.antal
    ),
    Indikator.avslut_tackar_nej: Cellref(Figur.avslutsorsaker, Avslutsorsak.tackar_nej, Matt.antal),
    Indikator.mal_uppnatt: Cellref(Figur.malbedomningar, Malresultat.uppnatt, Matt.antal),
    Indikator.mal_delvis: Cellref(Figur.malbedomningar, Malresultat.delvis, Matt.antal),
    Indikator.mal_ej_uppnatt: Cellref(Figur.malbedomningar, Malresultat.ej_uppnatt, Matt.antal),
    Indikator.median_dagar_beredning: Cellref(Figur.ledtider, Fas.beredning, Matt.median_dagar),
    Indikator.median_dagar_uppstart: Cellref(Figur.ledtider, Fas.uppstart, Matt.median_dagar),
    Indikator.median_dagar_ansokan_till_avslut: Cellref(
        Figur.ledtider, ANSOKAN_TILL_AVSLUT, Matt.median_dagar
    ),
    Indikator.p90_dagar_ansokan_till_avslut: Cellref(
        Figur.ledtider, ANSOKAN_TILL_AVSLUT, Matt.p90_dagar
    ),
    Indikator.orosanmalningar: Cellref(Figur.orosanmalningar, ANTAL, Matt.antal),
    Indikator.avvikelser_besvarade: Cellref(
        Figur.avvikelser_per_status, Avvikelsestatus.besvarad, Matt.antal
    ),
    Indikator.elever_narvaroniva_orange: Cellref(
        Figur.elever_per_narvaroniva, Narvaroniva.orange, Matt.antal
    ),
    Indikator.median_franvaroforandring: Cellref(
        Figur.franvaroforandring, ANSOKAN_TILL_AVSLUT, Matt.median_procentenheter
    ),
}

"""Deviation reports: registering, reading within the caller's scope, content changes and the
status steps to BUS and back (S, avvikelserapportering).

"Verksamheterna beslutar lokalt om vem som ska rapportera och vilka chefer som är ansvariga" (S).
Here: school staff and the skolsocialt team register reports. The skolsocialt team sees every
report of the kommun; school staff see the reports of their schools and those they made
themselves. While a report is `registrerad` its reporter, the school's principal and the team
may change it; the principal of the school concerned and the team move it to BUS and record the
response and the closure.
"""

import uuid
from datetime import date

from sqlalchemy.orm import Session

from app.audit.chain import Atgard
from app.audit.trail import record
from app.auth.principal import Principal
from app.auth.roles import Organisation, Roll
from app.avvikelser import repository
from app.avvikelser.enums import Avvikelsestatus, Verksamhet
from app.avvikelser.models import Avvikelse, AvvikelseVerksamhet
from app.avvikelser.repository import AvvikelseFilter, Synlighet
from app.avvikelser.rules import Innehall, Lage, Steg, innehall_fel, steg_fel
from app.avvikelser.schemas import AvvikelseCreate, AvvikelseUpdate
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.time import today
from app.kit.pagination import PageParams
from app.skolor.service import resolve_many

RESURS = "avvikelse"
GRUND = "avvikelserapportering"
CONTENT_FIELDS = (
    "datum",
    "beskrivning",
    "berorda_verksamheter",
    "kan_ej_losas_lokalt",
    "principiell",
)

# Which agency a user reports for, by the organisation the user belongs to.
VERKSAMHETER_FOR: dict[Organisation, frozenset[Verksamhet]] = {
    Organisation.skola: frozenset({Verksamhet.skola}),
    Organisation.central_elevhalsa: frozenset({Verksamhet.skola}),
    Organisation.socialtjanst: frozenset({Verksamhet.socialtjanst}),
    Organisation.region: frozenset(
        {Verksamhet.bup, Verksamhet.barnmedicin, Verksamhet.habilitering, Verksamhet.annan}
    ),
}


def _is_team(principal: Principal) -> bool:
    return principal.roll is Roll.skolsocialt_team


def synlighet(principal: Principal) -> Synlighet:
    return Synlighet(
        kommun_id=principal.kommun_id,
        skolor=None if _is_team(principal) else principal.skolor,
        rapportor_id=principal.id,
    )


def _audit(session: Session, atgard: Atgard, avvikelse_id: uuid.UUID | None = None) -> None:
    record(session, atgard=atgard, resurs_typ=RESURS, resurs_id=avvikelse_id, rattslig_grund=GRUND)


def load(
    session: Session, principal: Principal, avvikelse_id: uuid.UUID, *, for_write: bool = False
) -> Avvikelse:
    """The report if the caller may see it; otherwise 404, as if it did not exist."""
    avvikelse = repository.get_visible(
        session, synlighet(principal), avvikelse_id, for_update=for_write
    )
    if avvikelse is None:
        raise NotFound(RESURS, avvikelse_id)
    return avvikelse


def read(session: Session, principal: Principal, avvikelse_id: uuid.UUID) -> Avvikelse:
    avvikelse = load(session, principal, avvikelse_id)
    _audit(session, Atgard.read, avvikelse.id)
    return avvikelse


def list_avvikelser(
    session: Session, principal: Principal, filter_: AvvikelseFilter, page: PageParams
) -> list[Avvikelse]:
    _audit(session, Atgard.search)
    return repository.list_visible(session, synlighet(principal), filter_, page)


def _rapporterande(principal: Principal, given: Verksamhet | None) -> Verksamhet:
    allowed = VERKSAMHETER_FOR.get(principal.organisation or Organisation.skola, frozenset())
    if given is None and len(allowed) == 1:
        return next(iter(allowed))
    if given is not None and given in allowed:
        return given
    names = ", ".join(sorted(allowed))
    raise InvalidInput(
        "Ange den verksamhet du rapporterar för.",
        errors=[{"plats": "body.rapporterande_verksamhet", "meddelande": f"En av: {names}."}],
    )


def _skola(session: Session, principal: Principal, skola_id: uuid.UUID | None) -> uuid.UUID | None:
    if _is_team(principal):
        if skola_id is not None:
            resolve_many(session, principal, [skola_id], field="skola_id")
        return skola_id
    if skola_id is None and len(principal.skolor) == 1:
        return next(iter(principal.skolor))
    if skola_id is None or skola_id not in principal.skolor:
        raise InvalidInput(
            "Ange en av dina skolor.",
            errors=[{"plats": "body.skola_id", "meddelande": "Inte en av dina skolor."}],
        )
    return skola_id


def _check_content(avvikelse: Avvikelse) -> None:
    innehall = Innehall(
        rapporterande=avvikelse.rapporterande_verksamhet,
        berorda=frozenset(rad.verksamhet for rad in avvikelse.berorda),
        datum=avvikelse.datum,
        kan_ej_losas_lokalt=avvikelse.kan_ej_losas_lokalt,
        principiell=avvikelse.principiell,
    )
    if found := innehall_fel(innehall, idag=today()):
        raise InvalidInput(
            "Avvikelsen uppfyller inte kraven.", errors=[fel.som_fel() for fel in found]
        )


def _set_berorda(avvikelse: Avvikelse, verksamheter: list[Verksamhet]) -> None:
    kept = {rad.verksamhet: rad for rad in avvikelse.berorda}
    avvikelse.berorda = [
        kept.get(verksamhet) or AvvikelseVerksamhet(verksamhet=verksamhet)
        for verksamhet in sorted(set(verksamheter))
    ]


def create(session: Session, principal: Principal, data: AvvikelseCreate) -> Avvikelse:
    avvikelse = Avvikelse(
        kommun_id=principal.kommun_id,
        skola_id=_skola(session, principal, data.skola_id),
        rapporterad_av=principal.id,
        rapporterande_verksamhet=_rapporterande(principal, data.rapporterande_verksamhet),
        datum=data.datum,
        beskrivning=data.beskrivning,
        kan_ej_losas_lokalt=data.kan_ej_losas_lokalt,
        principiell=data.principiell,
        status=Avvikelsestatus.registrerad,
        berorda=[],
    )
    _set_berorda(avvikelse, data.berorda_verksamheter)
    _check_content(avvikelse)
    session.add(avvikelse)
    session.flush()
    _audit(session, Atgard.create, avvikelse.id)
    return avvikelse


def _may_report(principal: Principal, avvikelse: Avvikelse) -> bool:
    """The principal of the school concerned and the team move a report to BUS and onwards."""
    if _is_team(principal):
        return True
    return principal.roll is Roll.rektor and avvikelse.skola_id in principal.skolor


def _change_content(principal: Principal, avvikelse: Avvikelse, data: AvvikelseUpdate) -> None:
    if avvikelse.rapporterad_av != principal.id and not _may_report(principal, avvikelse):
        raise Forbidden("Avvikelsen ändras av den som rapporterade den, rektor eller teamet.")
    if avvikelse.status is not Avvikelsestatus.registrerad:
        raise Conflict(
            "Avvikelsen är rapporterad till BUS och ändras inte; det som rapporterades står kvar."
        )
    for name in ("datum", "beskrivning", "kan_ej_losas_lokalt", "principiell"):
        if (value := getattr(data, name)) is not None:
            setattr(avvikelse, name, value)
    if data.berorda_verksamheter is not None:
        _set_berorda(avvikelse, data.berorda_verksamheter)
    _check_content(avvikelse)


def _step(principal: Principal, avvikelse: Avvikelse, data: AvvikelseUpdate) -> None:
    if data.status is None:
        return
    if not _may_report(principal, avvikelse):
        raise Forbidden("Rektor på skolan eller det skolsociala teamet rapporterar till BUS.")
    datum = data.status_datum or today()
    lage = Lage(
        status=avvikelse.status,
        datum=avvikelse.datum,
        rapporterad_bus=avvikelse.rapporterad_bus,
        besvarad=avvikelse.besvarad,
    )
    steg = Steg(
        till=data.status,
        datum=datum,
        svar=data.svar is not None,
        avslutskommentar=data.avslutskommentar is not None,
    )
    if found := steg_fel(lage, steg, idag=today()):
        raise Conflict(
            f"Avvikelsen kan inte gå från {avvikelse.status} till {data.status}.",
            errors=[fel.som_fel() for fel in found],
        )
    _apply_step(avvikelse, data, datum)


def _apply_step(avvikelse: Avvikelse, data: AvvikelseUpdate, datum: date) -> None:
    if data.status is Avvikelsestatus.rapporterad_bus:
        avvikelse.rapporterad_bus = datum
    elif data.status is Avvikelsestatus.besvarad:
        avvikelse.besvarad, avvikelse.svar = datum, data.svar
    elif data.status is Avvikelsestatus.avslutad:
        avvikelse.avslutad, avvikelse.avslutskommentar = datum, data.avslutskommentar
    if data.status is not None:
        avvikelse.status = data.status


def _check_step_fields(data: AvvikelseUpdate) -> None:
    belongs = {
        "svar": Avvikelsestatus.besvarad,
        "avslutskommentar": Avvikelsestatus.avslutad,
    }
    problems = [
        {"plats": f"body.{name}", "meddelande": f"Anges bara när status blir {target}."}
        for name, target in belongs.items()
        if getattr(data, name) is not None and data.status is not target
    ]
    if data.status_datum is not None and data.status is None:
        problems.append({"plats": "body.status_datum", "meddelande": "Anges med status."})
    if problems:
        raise InvalidInput("Uppgifterna hör till ett annat statusbyte.", errors=problems)


def update(
    session: Session, principal: Principal, avvikelse: Avvikelse, data: AvvikelseUpdate
) -> Avvikelse:
    """Content changes (while `registrerad`), then the status step, all or nothing."""
    _check_step_fields(data)
    if any(getattr(data, name) is not None for name in CONTENT_FIELDS):
        _change_content(principal, avvikelse, data)
    _step(principal, avvikelse, data)
    session.flush()
    _audit(session, Atgard.update, avvikelse.id)
    return avvikelse

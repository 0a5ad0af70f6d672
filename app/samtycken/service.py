"""Consents: registration, signatures and withdrawals (T 4.2, 7.1; DOMAIN.md: Consent)."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.anvandare import repository as anvandare_repository
from app.audit.chain import Atgard
from app.auth.principal import AktorTyp, Principal
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.time import today, utcnow
from app.elever import repository as elever_repository
from app.elever import service as elever_service
from app.elever.service import SynligElev
from app.samtycken import repository
from app.samtycken.models import (
    Part,
    Samtycke,
    SamtyckeAterkallelse,
    SamtyckeSignatur,
    Signaturmetod,
    Undertecknare,
)
from app.samtycken.rules import Bedomning, SamtyckeStatus, Signerare
from app.samtycken.schemas import (
    AterkallelseCreate,
    SamtyckeCreate,
    SamtyckeUpdate,
    SignaturCreate,
    SignerareIn,
)
from app.samtycken.status import assess

RESURS = "samtycke"


@dataclass(frozen=True, slots=True)
class SynligtSamtycke:
    samtycke: Samtycke
    synlig: SynligElev


def load(session: Session, principal: Principal, samtycke_id: uuid.UUID) -> SynligtSamtycke:
    """The consent if the caller may see its pupil now; otherwise 404."""
    samtycke = repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, samtycke_id=samtycke_id
    )
    if samtycke is None:
        raise NotFound(RESURS, samtycke_id)
    try:
        synlig = elever_service.load(session, principal, samtycke.elev_id)
    except NotFound as exc:
        raise NotFound(RESURS, samtycke_id, elev_id=samtycke.elev_id) from exc
    return SynligtSamtycke(samtycke, synlig)


def read(
    session: Session, principal: Principal, samtycke_id: uuid.UUID
) -> tuple[Samtycke, Bedomning]:
    found = load(session, principal, samtycke_id)
    elever_service.audit(
        session, found.synlig, Atgard.read, resurs_typ=RESURS, resurs_id=samtycke_id
    )
    return found.samtycke, assess(session, found.samtycke, idag=today())


def list_for(session: Session, synlig: SynligElev) -> list[tuple[Samtycke, Bedomning]]:
    elever_service.audit(session, synlig, Atgard.read, resurs_typ=RESURS)
    idag = today()
    return [
        (s, assess(session, s, idag=idag)) for s in repository.for_elev(session, synlig.elev.id)
    ]


def _period_problems(fran: date, till: date) -> list[dict[str, str]]:
    problems = []
    idag = today()
    if fran > idag:
        problems.append({"plats": "body.giltig_fran", "meddelande": "Får inte ligga i framtiden."})
    if till < max(fran, idag):
        problems.append(
            {
                "plats": "body.giltig_till",
                "meddelande": "Ska vara i dag eller senare, och inte före giltig_fran.",
            }
        )
    return problems


def _check_period(fran: date, till: date) -> None:
    if problems := _period_problems(fran, till):
        raise InvalidInput("Samtyckets giltighetstid är ogiltig.", errors=problems)


def create(
    session: Session, principal: Principal, synlig: SynligElev, data: SamtyckeCreate
) -> tuple[Samtycke, Bedomning]:
    fran = data.giltig_fran or today()
    _check_period(fran, data.giltig_till)
    samtycke = Samtycke(
        kommun_id=principal.kommun_id,
        elev_id=synlig.elev.id,
        parter=sorted(data.parter),
        syfte=data.syfte,
        omfattning=data.omfattning,
        giltig_fran=fran,
        giltig_till=data.giltig_till,
        elevens_signatur_kravs=data.elevens_signatur_kravs,
        registrerad_av=principal.id,
        signaturer=[],
        aterkallelser=[],
    )
    session.add(samtycke)
    session.flush()
    elever_service.audit(session, synlig, Atgard.create, resurs_typ=RESURS, resurs_id=samtycke.id)
    return samtycke, assess(session, samtycke, idag=today())


def update(
    session: Session, found: SynligtSamtycke, data: SamtyckeUpdate
) -> tuple[Samtycke, Bedomning]:
    samtycke = found.samtycke
    if samtycke.signaturer or samtycke.aterkallelser:
        raise Conflict(
            "Ett samtycke som har signerats kan inte ändras. Registrera ett nytt samtycke."
        )
    fran = data.giltig_fran or samtycke.giltig_fran
    till = data.giltig_till or samtycke.giltig_till
    _check_period(fran, till)
    samtycke.giltig_fran, samtycke.giltig_till = fran, till
    if data.parter is not None:
        samtycke.parter = sorted(data.parter)
    samtycke.syfte = data.syfte or samtycke.syfte
    samtycke.omfattning = data.omfattning or samtycke.omfattning
    if data.elevens_signatur_kravs is not None:
        samtycke.elevens_signatur_kravs = data.elevens_signatur_kravs
    session.flush()
    elever_service.audit(
        session, found.synlig, Atgard.update, resurs_typ=RESURS, resurs_id=samtycke.id
    )
    return samtycke, assess(session, samtycke, idag=today())


def _signer(session: Session, found: SynligtSamtycke, data: SignerareIn) -> Signerare:
    """The signer named in the body, who must be the pupil or one of the pupil's guardians."""
    if data.vardnadshavare_id is None:
        return Signerare(Undertecknare.elev)
    guardian = elever_repository.get_guardian(
        session, elev_id=found.samtycke.elev_id, vardnadshavare_id=data.vardnadshavare_id
    )
    if guardian is None:
        raise InvalidInput(
            "Vårdnadshavaren hör inte till eleven.",
            errors=[{"plats": "body.vardnadshavare_id", "meddelande": "Okänd vårdnadshavare."}],
        )
    if not guardian.har_vardnad:
        raise Conflict("Bara vårdnadshavare med vårdnad signerar samtycket.")
    return Signerare(Undertecknare.vardnadshavare, guardian.id)


def _noted_by(session: Session, principal: Principal, data: SignaturCreate) -> uuid.UUID | None:
    if data.metod is not Signaturmetod.muntligt_noterat:
        if data.noterad_av is not None:
            raise InvalidInput(
                "noterad_av anges bara för muntligt samtycke.",
                errors=[{"plats": "body.noterad_av", "meddelande": "Bara vid muntligt_noterat."}],
            )
        return None
    noted_by = data.noterad_av or (
        principal.id if principal.aktor_typ is AktorTyp.anvandare else None
    )
    user = noted_by and anvandare_repository.get_in_kommun(
        session, kommun_id=principal.kommun_id, anvandare_id=noted_by
    )
    if not user:
        raise InvalidInput(
            "Ett muntligt samtycke noteras av en anställd i kommunen.",
            errors=[{"plats": "body.noterad_av", "meddelande": "Okänd användare."}],
        )
    return user.id


def _touch(samtycke: Samtycke) -> None:
    # A new signature or withdrawal changes what the consent is: a new version and ETag.
    samtycke.andrad = utcnow()


def sign(
    session: Session, principal: Principal, found: SynligtSamtycke, data: SignaturCreate
) -> tuple[Samtycke, Bedomning]:
    samtycke = found.samtycke
    idag = today()
    status = assess(session, samtycke, idag=idag).status
    if status in (SamtyckeStatus.aterkallat, SamtyckeStatus.utgatt):
        raise Conflict(f"Samtycket är {status} och kan inte signeras.")
    signer = _signer(session, found, data)
    if any(s.signerare == signer.nyckel for s in samtycke.signaturer):
        raise Conflict("Undertecknaren har redan signerat samtycket.")
    now = utcnow()
    if data.signerad is not None and data.signerad > now:
        raise InvalidInput(
            "Signeringstiden ligger i framtiden.",
            errors=[{"plats": "body.signerad", "meddelande": "Får inte ligga i framtiden."}],
        )
    signatur = SamtyckeSignatur(
        samtycke_id=samtycke.id,
        undertecknare=signer.undertecknare,
        vardnadshavare_id=signer.vardnadshavare_id,
        signerare=signer.nyckel,
        metod=data.metod,
        signerad=data.signerad or now,
        registrerad=now,
        registrerad_av=principal.id,
        noterad_av=_noted_by(session, principal, data),
    )
    samtycke.signaturer.append(signatur)
    _touch(samtycke)
    session.flush()
    elever_service.audit(
        session,
        found.synlig,
        Atgard.create,
        resurs_typ="samtycke_signatur",
        resurs_id=signatur.id,
    )
    return samtycke, assess(session, samtycke, idag=idag)


def withdraw(
    session: Session, principal: Principal, found: SynligtSamtycke, data: AterkallelseCreate
) -> tuple[Samtycke, Bedomning]:
    """Takes effect at once: access that rested on the consent ends with this request."""
    samtycke = found.samtycke
    bedomning = assess(session, samtycke, idag=today())
    if bedomning.status is SamtyckeStatus.aterkallat:
        raise Conflict("Samtycket är redan återkallat.")
    signer = _signer(session, found, data)
    if all(s.signerare != signer.nyckel for s in samtycke.signaturer):
        raise Conflict("Bara den som har signerat samtycket kan återkalla det.")
    parter = None if data.parter is None else sorted(data.parter)
    if parter is not None and (unknown := set(parter) - bedomning.parter):
        raise InvalidInput(
            "Samtycket omfattar inte längre alla angivna parter.",
            errors=[
                {"plats": "body.parter", "meddelande": f"Omfattas inte: {Part(part)}"}
                for part in sorted(unknown)
            ],
        )
    withdrawal = SamtyckeAterkallelse(
        samtycke_id=samtycke.id,
        undertecknare=signer.undertecknare,
        vardnadshavare_id=signer.vardnadshavare_id,
        parter=parter,
        tidpunkt=utcnow(),
        registrerad_av=principal.id,
    )
    samtycke.aterkallelser.append(withdrawal)
    _touch(samtycke)
    session.flush()
    elever_service.audit(
        session,
        found.synlig,
        Atgard.create,
        resurs_typ="samtycke_aterkallelse",
        resurs_id=withdrawal.id,
    )
    return samtycke, assess(session, samtycke, idag=today())

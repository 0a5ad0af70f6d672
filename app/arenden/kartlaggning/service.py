"""The team's mapping of the pupil's situation (T 7.4: "Skolsociala teamet genomför en
fördjupad kartläggning"), one per case, replaced as a whole with If-Match."""

from sqlalchemy.orm import Session

from app.arenden import repository
from app.arenden.enums import Fas
from app.arenden.kartlaggning.schemas import KartlaggningPut, KartlaggningRead
from app.arenden.models import Kartlaggning
from app.arenden.service import SynligtArende, audit, ensure_phase
from app.audit.chain import Atgard
from app.auth.principal import Principal
from app.kit.etag import check_if_match

RESURS = "kartlaggning"
FASER = frozenset({Fas.kartlaggning, Fas.ansvarsplanering, Fas.genomforande, Fas.uppfoljning})
FIELDS = tuple(KartlaggningPut.model_fields)


def read(session: Session, synligt: SynligtArende) -> Kartlaggning | None:
    audit(session, synligt, Atgard.read, resurs_typ=RESURS)
    return repository.kartlaggning_of(session, synligt.arende.id)


def put(
    session: Session,
    principal: Principal,
    synligt: SynligtArende,
    data: KartlaggningPut,
    *,
    if_match: str | None,
) -> Kartlaggning:
    """Creates the mapping (If-Match "0") or replaces it (If-Match: its ETag)."""
    arende = synligt.arende
    kartlaggning = repository.kartlaggning_of(session, arende.id)
    check_if_match(if_match, 0 if kartlaggning is None else kartlaggning.version)
    ensure_phase(arende, FASER, vad="Kartläggningen")
    created = kartlaggning is None
    if kartlaggning is None:
        kartlaggning = Kartlaggning(arende_id=arende.id, andrad_av=principal.id)
        session.add(kartlaggning)
    for name in FIELDS:
        setattr(kartlaggning, name, getattr(data, name))
    kartlaggning.andrad_av = principal.id
    session.flush()
    atgard = Atgard.create if created else Atgard.update
    audit(session, synligt, atgard, resurs_typ=RESURS, resurs_id=kartlaggning.id)
    return kartlaggning


def kartlaggning_read(
    synligt: SynligtArende, kartlaggning: Kartlaggning | None
) -> KartlaggningRead:
    if kartlaggning is None:
        return KartlaggningRead(arende_id=synligt.arende.id, dokumenterad=False, version=0)
    return KartlaggningRead(
        arende_id=kartlaggning.arende_id,
        **{name: getattr(kartlaggning, name) for name in FIELDS},
        dokumenterad=bool(kartlaggning.sammanfattning),
        version=kartlaggning.version,
        andrad=kartlaggning.andrad,
        andrad_av=kartlaggning.andrad_av,
    )

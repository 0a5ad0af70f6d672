"""Which failed requests are denied accesses, and how they are recorded."""

from app.audit.chain import Atgard, Utfall
from app.audit.trail import AuditEntry, AuditTrail
from app.core.errors import Forbidden, NotFound

_ACTION_BY_METHOD = {
    "GET": Atgard.read,
    "HEAD": Atgard.read,
    "POST": Atgard.create,
    "PUT": Atgard.update,
    "PATCH": Atgard.update,
    "DELETE": Atgard.delete,
}


def _resource_of(path: str) -> str:
    parts = [part for part in path.split("/") if part]
    # /api/v1/<resource>/... → <resource>
    return (
        parts[2] if len(parts) > 2 and parts[:2] == ["api", "v1"] else (parts[0] if parts else "")
    )


def denial_for(exc: Exception, trail: AuditTrail, *, method: str, path: str) -> list[AuditEntry]:
    """The entries to keep from a failed request: denials noted on the way, plus the final one.

    A 404 from a scoped lookup and a 403 for a missing scope are denials; validation errors and
    conflicts are not (the caller was allowed to try).
    """
    kept = trail.take(Utfall.denied)
    if trail.actor is None or not isinstance(exc, NotFound | Forbidden):
        return kept
    resurs_typ = exc.resurs_typ if isinstance(exc, NotFound) else _resource_of(path)
    resurs_id = exc.resurs_id if isinstance(exc, NotFound) else None
    kept.append(
        AuditEntry(
            actor=trail.actor,
            atgard=_ACTION_BY_METHOD.get(method, Atgard.read),
            resurs_typ=resurs_typ,
            resurs_id=resurs_id,
            elev_id=exc.elev_id if isinstance(exc, NotFound) else None,
            rattslig_grund=None,
            utfall=Utfall.denied,
        )
    )
    return kept

"""Who may register and read a report of concern: a rule of its own, not elever.access.

The duty to report never waits for consent (T 5, DOMAIN.md: "The duty to report concern never
waits for consent and never ends because of it"), so registering does not go through the
consent-gated pupil access. Whoever knows the pupil in their work here may register: the student
health staff and principal of the pupil's school, and any member of the kommun's skolsocialt team
— from central student health or social services alike — who has the pupil in a case (T 5: "Det
samma gäller för socialtjänstens medarbetare"). The audit row names the basis `anmalningsplikt`.

Reading is narrower, because the report is among the most sensitive records there are. The
pupil's school's student health and principal read the reports made within the school authority
(school staff and the team's central student health staff): they are the school's record of its
own duty. A report made by staff of social services or the region is that organisation's record
and is read by its reporter only; so are the reports of any team member. A consent to collaborate
about attendance does not widen this: it is bound to its purpose (DOMAIN.md: Consent).
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.arenden import repository as arenden_repository
from app.auth.principal import Principal
from app.auth.roles import Roll
from app.elever.access import GRUND_EGEN_SKOLA, SCHOOL_ROLES
from app.elever.models import Elev

GRUND_ANMALNINGSPLIKT = "anmalningsplikt"


@dataclass(frozen=True, slots=True)
class Lasratt:
    """What the caller reads of the pupil's reports: those made within the school authority, or
    only their own; and the basis the audit row records."""

    grund: str
    bara_egna: bool


def may_report(session: Session, principal: Principal, elev: Elev) -> bool:
    if elev.kommun_id != principal.kommun_id:
        return False
    if principal.roll in SCHOOL_ROLES:
        return elev.skola_id in principal.skolor
    if principal.roll is Roll.skolsocialt_team:
        return arenden_repository.has_case(session, elev.id)
    return False


def lasratt(session: Session, principal: Principal, elev: Elev) -> Lasratt | None:
    if not may_report(session, principal, elev):
        return None
    if principal.roll in SCHOOL_ROLES:
        return Lasratt(GRUND_EGEN_SKOLA, bara_egna=False)
    return Lasratt(GRUND_ANMALNINGSPLIKT, bara_egna=True)

"""Where the quality statistics meet absence data: the two figures that rest on stored absence.

Absence records, their per-pupil weekly sums and the tiers (DOMAIN.md: Absence; T 2) are built
separately. Until they are stored here both functions answer None, and the statistics show the
figures as null with `saknas: "ingen_franvarodata"` — in JSON, in the CSV export and as a goal's
outcome — exactly as they show any other figure. When absence data arrives, only the bodies below
change: each returns a SELECT, and the statistics aggregate it on the database like every other
figure (counts and the suppression below five pupils, or the portable median of percentil.py).

Both are kommun-wide figures over many pupils, so they should read the pre-aggregated per-pupil
week sums (ARCHITECTURE.md: "pre-aggregated tables for kommun-wide figures"), not the records.
"""

import uuid
from datetime import date

from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.kvalitet.figurer import Saknas

SAKNAS = Saknas.ingen_franvarodata


def elever_per_narvaroniva(
    session: Session, *, kommun_id: uuid.UUID, per: date
) -> Select[tuple[str, uuid.UUID, uuid.UUID]] | None:
    """The kommun's pupils by tier over the eight school weeks up to `per` (T 2; DOMAIN.md:
    defaults `gul` from 10 %, `orange` from 20 %, any invalid absence at least `gul`).

    To return: one row per pupil with the columns `grupp` (gron, gul or orange), `skola_id` (the
    pupil's school) and `elev_id`. None until stored absence exists.
    """
    return None


def franvaroforandring(
    session: Session, *, kommun_id: uuid.UUID, fran: date, till: date
) -> Select[tuple[uuid.UUID, uuid.UUID, float]] | None:
    """For each case closed from `fran` through `till` (Europe/Stockholm dates; rejections,
    `ej_beviljad`, excluded): the absence share over the last eight school weeks before closure
    minus the share over the eight school weeks before the application, in percentage points
    (negative: less absence). The share is absent minutes ÷ scheduled minutes.

    To return: one row per case with the columns `skola_id` (the applying school,
    arenden.ansokande_skola_id), `elev_id` and `varde`; leave out cases whose pupil has no
    scheduled minutes in either window. None until stored absence exists.
    """
    return None

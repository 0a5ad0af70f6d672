"""The two absence figures on the hand-built kommun, with absence sent as an integration would:
pupils per tier over the eight weeks up to the period's end, and the change in absence share of
closed cases from before the application to before the closure."""

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.arenden.models import Arende, ArendeFas
from app.core.time import today
from tests.factories import EKBACKEN, elev_i_databasen
from tests.franvaro.helpers import post, skicka
from tests.helpers import Tokens
from tests.kvalitet.data import AR_2025, STATISTIK, Bygge, varden

DECEMBER = date(2025, 12, 15)


def _statistik(client: TestClient, tokens: Tokens) -> dict[str, Any]:
    response = client.get(STATISTIK, params=AR_2025, headers=tokens.headers("styrgrupp"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _closed_cases(db: Session) -> list[tuple[str, date, date]]:
    """(pupil, application day, closure day) of every closed case, by closure."""
    rows = db.execute(
        select(Arende.elev_id, ArendeFas.tidpunkt, Arende.avslutat)
        .join(ArendeFas, ArendeFas.arende_id == Arende.id)
        .where(Arende.avslutat.is_not(None), ArendeFas.fran.is_(None))
        .order_by(Arende.avslutat)
    )
    return [
        (str(elev), ansokt.date(), avslutat.date())
        for elev, ansokt, avslutat in rows
        if avslutat is not None
    ]


def test_the_change_in_absence_share_of_closed_cases_has_the_known_median(
    client: TestClient, tokens: Tokens, db: Session, kommunen: Bygge
) -> None:
    cases = _closed_cases(db)
    assert len(cases) == 11
    poster = []
    for n, (elev, ansokt, avslutat) in enumerate(cases):
        # 30 % in the eight weeks up to the application, n % in those up to the closure: the
        # changes are -30 … -20 percentage points, whose median is -25. The first record lies
        # six weeks before the application, outside even the shortest case's later window.
        poster.append(
            post(elev, f"fore-{n}", ansokt - timedelta(weeks=6), schemalagd=100, giltig=30)
        )
        poster.append(post(elev, f"efter-{n}", avslutat, schemalagd=100, ogiltig=n))
    assert skicka(client, tokens, poster)["skapade"] == 22

    forandring = varden(_statistik(client, tokens), "franvaroforandring")
    assert forandring == {("ansokan_till_avslut", "median_procentenheter"): -25}


def test_pupils_per_tier_count_those_with_scheduled_time_and_suppress_small_groups(
    client: TestClient, tokens: Tokens, kommunen: Bygge
) -> None:
    orange = [str(kommunen.elev(EKBACKEN)) for _ in range(5)]
    gul = [str(kommunen.elev(EKBACKEN)) for _ in range(4)]
    poster = [post(e, f"o-{n}", DECEMBER, schemalagd=100, giltig=20) for n, e in enumerate(orange)]
    # 1 % absence but invalid: gul; four pupils are too few to show.
    poster += [post(e, f"g-{n}", DECEMBER, schemalagd=100, ogiltig=1) for n, e in enumerate(gul)]
    assert skicka(client, tokens, poster)["skapade"] == 9

    nivaer = varden(_statistik(client, tokens), "elever_per_narvaroniva")
    assert nivaer == {("gron", "antal"): None, ("gul", "antal"): None, ("orange", "antal"): 5}


def test_pupils_per_tier_this_week_come_from_the_pupils_state_rows(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elever = [str(elev_i_databasen(db, EKBACKEN)["id"]) for _ in range(6)]
    poster = [
        post(e, f"nu-{n}", today(), schemalagd=100, giltig=20 if n < 5 else 0)
        for n, e in enumerate(elever)
    ]
    assert skicka(client, tokens, poster)["skapade"] == 6

    response = client.get(
        STATISTIK,
        params={"fran": (today() - timedelta(days=30)).isoformat(), "till": today().isoformat()},
        headers=tokens.headers("styrgrupp"),
    )

    assert response.status_code == 200, response.text
    nivaer = varden(response.json(), "elever_per_narvaroniva")
    assert nivaer == {("gron", "antal"): None, ("gul", "antal"): None, ("orange", "antal"): 5}

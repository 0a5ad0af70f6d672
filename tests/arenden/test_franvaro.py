"""The case meets stored absence: the application's summary and a follow-up's absence share are
computed from what the integrations sent, and fall back to the school's text without it."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.time import today
from app.franvaro.rules import Fonster
from tests.arenden.flode import TEAM, fall_i_fas
from tests.factories import elev_med_giltigt_samtycke, ny_ansokan
from tests.franvaro.helpers import post, skicka
from tests.helpers import Tokens


def test_the_application_shows_the_absence_of_the_last_eight_weeks_with_the_schools_text(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    dag = today()
    poster = [
        post(elev["id"], "inom-1", dag, schemalagd=100, giltig=10, ogiltig=15),
        post(elev["id"], "inom-2", dag - timedelta(weeks=3), schemalagd=300, ogiltig=75),
        # Nine weeks back: outside the window.
        post(elev["id"], "utanfor", dag - timedelta(weeks=9), schemalagd=100, giltig=100),
    ]
    assert skicka(client, tokens, poster)["skapade"] == 3

    arende = ny_ansokan(client, tokens, elev["id"], samtycke["id"])

    assert arende["franvaro"] == {
        "kalla": "franvarodata",
        "beskrivning": "Cirka en fjärdedel av lektionerna i höst.",
        "andel_procent": 25.0,
        "period_fran": Fonster.per(dag).a_fran.isoformat(),
        "period_till": dag.isoformat(),
    }


def test_the_application_keeps_the_schools_figure_when_the_period_has_no_records(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    elev, samtycke, _ = elev_med_giltigt_samtycke(client, tokens, db)
    old = today() - timedelta(weeks=20)
    assert skicka(client, tokens, [post(elev["id"], "gammal", old, giltig=60)])["skapade"] == 1

    arende = ny_ansokan(client, tokens, elev["id"], samtycke["id"])

    assert (arende["franvaro"]["kalla"], arende["franvaro"]["andel_procent"]) == (
        "skolans_uppgift",
        24.5,
    )


def test_a_follow_up_computes_the_absence_share_since_the_period_began(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    fall = fall_i_fas(client, tokens, db, "genomforande")
    poster = [
        post(fall.elev["id"], "idag-1", today(), schemalagd=60, giltig=6),
        post(fall.elev["id"], "idag-2", today(), schemalagd=60, ogiltig=0),
    ]
    assert skicka(client, tokens, poster)["skapade"] == 2
    goal = fall.plan["mal"][0]["id"]

    response = client.post(
        f"{fall.url}/uppfoljningar",
        json={"datum": today().isoformat(), "resultat": [{"mal_id": goal, "resultat": "delvis"}]},
        headers=tokens.headers(TEAM),
    )

    assert response.status_code == 201, response.text
    assert response.json()["franvaro"]["andel_procent"] == 5.0

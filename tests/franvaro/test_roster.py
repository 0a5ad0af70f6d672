"""The roster from a school information system (SS 12000 Organisation and Person): school units
matched by code, pupils created or updated, guardians linked whichever comes first, and every
bad record refused with its reason while the others are stored."""

import copy
import json
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, delete, event, select
from sqlalchemy.orm import Session

from app.elever.models import Elev, ElevExterntId, Vardnadshavare
from app.franvaro import roster
from app.franvaro.intake import SAMMA_ID
from app.franvaro.models import Franvaropost, Kallperson, SkolaExterntId
from app.franvaro.service import ANNAN_SKOLA
from app.integrationer.models import Integration, integration_skolor
from tests.factories import EKBACKEN, GRANNBYN, ny_elev, ny_vardnadshavare, skola_id
from tests.franvaro.helpers import SS12000, skicka
from tests.helpers import INTEGRATION, Tokens, audit_since, last_audit_id

DATA = Path(__file__).parent / "data"
ORGANISATIONS = f"{SS12000}/organisations"
PERSONS = f"{SS12000}/persons"

EKBACKEN_ORG = "4a2b2ac7-62a5-4436-828b-1b721bcfa365"
ASEN_ORG = "e12ce591-7fce-40ac-92e2-e9e49e71c61a"
ALVA = "12fde894-c11a-41a9-a81b-876c30bb9720"  # pupil 0, årskurs 4 at Ekbacken
ANNA_EK = "6097a0a0-827b-4f11-b443-1c184347c5c7"  # Alva's first guardian
NOAH = "697285ca-1bc7-459e-b264-99229aad9879"  # pupil 3: second guardian not a custodian
OMAR = "0a75ff43-0bee-4e9d-bcb2-bc2cf92d1be1"  # anpassad grundskola, årskurs 9
LIAM = "d88a4358-9753-460f-ad54-f0683b53ff03"  # skyddad folkbokföring
NORA = "f7f35dc4-a7e2-4916-bae6-66dd385fbf83"  # sekretessmarkering
HUGO = "092354bc-816b-4fb5-960f-5f9096862fce"  # samordningsnummer


def _load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def _persons() -> list[dict[str, Any]]:
    persons: list[dict[str, Any]] = _load("persons")["data"]
    return persons


def _by_id(persons: list[dict[str, Any]], person_id: str) -> dict[str, Any]:
    return next(p for p in persons if p["id"] == person_id)


def _pupil(person_id: str, civic: str | None, **changes: Any) -> dict[str, Any]:
    """A pupil record like the example's Alva, with another id and number."""
    person = copy.deepcopy(_by_id(_persons(), ALVA))
    person["id"] = person_id
    person["responsibles"] = []
    if civic is None:
        person.pop("civicNo")
    else:
        person["civicNo"] = {"value": civic}
    person.update(changes)
    return person


def _organisations(client: TestClient, tokens: Tokens) -> None:
    body = skicka(client, tokens, _load("organisations"), url=ORGANISATIONS)
    assert body["avvisade"] == 0, body


def _roster(client: TestClient, tokens: Tokens) -> dict[str, Any]:
    _organisations(client, tokens)
    return skicka(client, tokens, _load("persons"), url=PERSONS)


def _elev(db: Session, person_id: str) -> Elev:
    return db.scalars(
        select(Elev)
        .join(ElevExterntId, ElevExterntId.elev_id == Elev.id)
        .where(ElevExterntId.kalla == INTEGRATION, ElevExterntId.extern_id == person_id)
    ).one()


def _guardians(db: Session, elev_id: uuid.UUID) -> dict[str | None, Vardnadshavare]:
    rows = db.scalars(select(Vardnadshavare).where(Vardnadshavare.elev_id == elev_id))
    return {row.extern_id: row for row in rows}


def _counts(body: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (
        body["mottagna"],
        body["skapade"],
        body["uppdaterade"],
        body["oforandrade"],
        body["avvisade"],
    )


def _reasons(body: dict[str, Any]) -> dict[int, str]:
    return {a["index"]: a["skal"] for a in body["avvisningar"]}


def test_school_units_are_matched_by_code_and_other_organisations_are_noted(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    body = skicka(client, tokens, _load("organisations"), url=ORGANISATIONS)

    assert _counts(body) == (3, 2, 0, 1, 0)
    assert [(a["index"], a["skal"]) for a in body["anmarkningar"]] == [
        (0, "Organisationstypen Huvudman används inte; posten sparas inte.")
    ]
    stored = db.scalars(select(SkolaExterntId).where(SkolaExterntId.kalla == INTEGRATION))
    assert {row.extern_id: row.skola_id for row in stored} == {
        EKBACKEN_ORG: skola_id(db, "12345678"),
        ASEN_ORG: skola_id(db, "87654321"),
    }
    again = skicka(client, tokens, _load("organisations"), url=ORGANISATIONS)
    assert _counts(again) == (3, 0, 0, 3, 0)


def test_a_school_unit_that_is_not_the_integrations_is_rejected(
    client: TestClient, tokens: Tokens
) -> None:
    orgs = _load("organisations")["data"]
    orgs[1]["schoolUnitCode"] = GRANNBYN  # another kommun's school
    orgs[2]["schoolUnitCode"] = "99999999"  # no school at all
    orgs.append({"id": "utan-kod", "organisationType": "Skolenhet"})
    orgs.append({"id": EKBACKEN_ORG + "-2", "organisationType": "Skolenhet"})
    orgs[-1]["schoolUnitCode"] = "12345678"

    body = skicka(client, tokens, orgs, url=ORGANISATIONS)

    assert _counts(body) == (5, 1, 0, 1, 3)
    assert _reasons(body) == {
        1: f"Skolenhetskoden {GRANNBYN} hör inte till någon av integrationens skolor.",
        2: "Skolenhetskoden 99999999 hör inte till någon av integrationens skolor.",
        3: roster.UTAN_KOD,
    }


def test_pupils_get_year_school_form_and_protection_from_their_enrolment(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    body = _roster(client, tokens)

    assert _counts(body) == (30, 30, 0, 0, 0)
    assert body["anmarkningar"] == []
    alva = _elev(db, ALVA)
    assert (alva.fornamn, alva.efternamn, alva.sokbart_namn) == ("Alva", "Ek", "alva ek")
    assert (alva.personnummer, alva.identitetstyp) == ("201601051004", "personnummer")
    assert (alva.arskurs, alva.skolform, alva.skyddad_identitet) == ("4", "grundskola", "ingen")
    assert alva.skola_id == skola_id(db, "12345678")
    omar = _elev(db, OMAR)
    assert (omar.arskurs, omar.skolform, omar.skola_id) == (
        "9",
        "anpassad_grundskola",
        skola_id(db, "87654321"),
    )
    assert _elev(db, LIAM).skyddad_identitet == "skyddad_folkbokforing"
    assert _elev(db, NORA).skyddad_identitet == "sekretessmarkering"
    assert _elev(db, HUGO).identitetstyp == "samordningsnummer"
    ids = db.scalars(select(ElevExterntId.extern_id).where(ElevExterntId.kalla == INTEGRATION))
    assert len(set(ids)) == 10
    assert len(db.scalars(select(Kallperson).where(Kallperson.kalla == INTEGRATION)).all()) == 20


def test_guardians_are_linked_with_their_custody_flag(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)

    noah = _guardians(db, _elev(db, NOAH).id)
    assert sorted((g.fornamn, g.har_vardnad) for g in noah.values()) == [
        ("Anna", True),
        ("Karim", False),
    ]
    liam = _guardians(db, _elev(db, LIAM).id)
    assert {g.skyddad_identitet for g in liam.values()} == {"skyddad_folkbokforing"}
    alva = _elev(db, ALVA)
    anna = _guardians(db, alva.id)[ANNA_EK]
    assert (anna.personnummer, anna.identitetstyp, anna.kalla) == (
        "198503102009",
        "personnummer",
        INTEGRATION,
    )
    # The school sees them as it sees guardians it registered itself.
    response = client.get(
        f"/api/v1/elever/{alva.id}/vardnadshavare", headers=tokens.headers("kurator")
    )
    assert response.status_code == 200, response.text
    assert sorted((g["fornamn"], g["har_vardnad"]) for g in response.json()["data"]) == [
        ("Anna", True),
        ("Karim", True),
    ]


def test_guardians_sent_before_their_pupils_are_linked_when_the_pupils_arrive(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    persons = _persons()
    guardians = [p for p in persons if not p.get("enrolments")]
    pupils = [p for p in persons if p.get("enrolments")]

    first = skicka(client, tokens, guardians, url=PERSONS)
    second = skicka(client, tokens, pupils, url=PERSONS)

    assert _counts(first) == (20, 20, 0, 0, 0)
    assert _counts(second) == (10, 10, 0, 0, 0)
    noah = _guardians(db, _elev(db, NOAH).id)
    assert sorted((g.fornamn, g.har_vardnad) for g in noah.values()) == [
        ("Anna", True),
        ("Karim", False),
    ]


def test_pupils_sent_before_their_guardians_are_linked_when_the_guardians_arrive(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    persons = _persons()
    pupils = [p for p in persons if p.get("enrolments")]
    guardians = [p for p in persons if not p.get("enrolments")]

    skicka(client, tokens, pupils, url=PERSONS)
    assert _guardians(db, _elev(db, ALVA).id) == {}
    body = skicka(client, tokens, guardians, url=PERSONS)

    assert _counts(body) == (20, 20, 0, 0, 0)
    assert len(_guardians(db, _elev(db, ALVA).id)) == 2


def test_sending_again_is_unchanged_and_a_changed_name_is_an_update(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)
    again = skicka(client, tokens, _load("persons"), url=PERSONS)
    assert _counts(again) == (30, 0, 0, 30, 0)
    alva = _elev(db, ALVA)
    version = alva.version

    persons = _persons()
    _by_id(persons, ALVA)["givenName"] = "Alvina"
    _by_id(persons, ANNA_EK)["familyName"] = "Eksdotter"
    body = skicka(client, tokens, persons, url=PERSONS)

    assert _counts(body) == (30, 0, 2, 28, 0)
    db.expire_all()
    alva = _elev(db, ALVA)
    assert (alva.fornamn, alva.sokbart_namn, alva.version) == ("Alvina", "alvina ek", version + 1)
    assert _guardians(db, alva.id)[ANNA_EK].efternamn == "Eksdotter"


def test_a_pupil_who_moves_up_a_year_and_changes_school_is_updated(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)
    alva = _by_id(_persons(), ALVA)
    alva["enrolments"] = [
        {**alva["enrolments"][0], "endDate": "2026-10-31"},
        {
            "enroledAt": {"id": ASEN_ORG},
            "schoolYear": 5,
            "schoolType": "GRS",
            "startDate": "2026-11-01",
        },
    ]

    body = skicka(client, tokens, [alva], url=PERSONS)

    assert _counts(body) == (1, 0, 1, 0, 0)
    db.expire_all()
    stored = _elev(db, ALVA)
    assert (stored.skola_id, stored.arskurs, stored.skolform) == (
        skola_id(db, "87654321"),
        "5",
        "anpassad_grundskola",
    )


def test_a_guardian_the_source_no_longer_names_is_left_in_place(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)
    alva = _by_id(_persons(), ALVA)
    alva["responsibles"] = alva["responsibles"][:1]

    body = skicka(client, tokens, [alva], url=PERSONS)

    assert _counts(body) == (1, 0, 1, 0, 0)
    assert len(_guardians(db, _elev(db, ALVA).id)) == 2


def test_a_pupil_sent_without_responsibles_keeps_the_ones_stored(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)
    alva = _by_id(_persons(), ALVA)
    del alva["responsibles"]  # a source that does not expand them

    body = skicka(client, tokens, [alva], url=PERSONS)

    assert _counts(body) == (1, 0, 0, 1, 0)
    guardians = [_by_id(_persons(), ANNA_EK)]
    again = skicka(client, tokens, guardians, url=PERSONS)
    assert _counts(again) == (1, 0, 0, 1, 0)
    assert len(_guardians(db, _elev(db, ALVA).id)) == 2


def test_the_import_is_audited_per_pupil_and_guardian(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    before = last_audit_id(db)

    _roster(client, tokens)

    rows = [r for r in audit_since(db, before) if r.resurs_typ in ("elev", "vardnadshavare")]
    assert sorted({(r.resurs_typ, r.atgard, r.rattslig_grund) for r in rows}) == [
        ("elev", "create", "integration"),
        ("vardnadshavare", "create", "integration"),
    ]
    assert len([r for r in rows if r.resurs_typ == "elev"]) == 10
    assert len([r for r in rows if r.resurs_typ == "vardnadshavare"]) == 20
    assert all(r.elev_id is not None for r in rows)


def _statements(connection: Connection, send: Any) -> int:
    count = 0

    def counting(*_args: Any) -> None:
        nonlocal count
        count += 1

    event.listen(connection, "before_cursor_execute", counting)
    try:
        send()
    finally:
        event.remove(connection, "before_cursor_execute", counting)
    return count


def test_the_number_of_queries_does_not_grow_with_the_batch(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    persons = _persons()
    pupils = [p for p in persons if p.get("enrolments")]
    guardians = [p for p in persons if not p.get("enrolments")]
    connection = db.connection()

    small = _statements(connection, lambda: skicka(client, tokens, pupils[:1], url=PERSONS))
    large = _statements(connection, lambda: skicka(client, tokens, pupils[1:], url=PERSONS))
    linked_small = _statements(
        connection, lambda: skicka(client, tokens, guardians[:2], url=PERSONS)
    )
    linked_large = _statements(
        connection, lambda: skicka(client, tokens, guardians[2:], url=PERSONS)
    )

    assert small > 0
    assert large <= small + 2
    assert linked_large <= linked_small + 2
    assert len(_guardians(db, _elev(db, HUGO).id)) == 2


def test_each_bad_record_is_rejected_with_its_reason_and_the_others_are_stored(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    okand_org = _pupil("p-okand-skola", "201601051004")
    okand_org["enrolments"][0]["enroledAt"]["id"] = "okand-org"
    arskurs_10 = _pupil("p-ak10", "201601051004")
    arskurs_10["enrolments"][0]["schoolYear"] = 10
    utan_efternamn = _pupil("p-utan-efternamn", "201601051004")
    del utan_efternamn["familyName"]
    poster: list[Any] = [
        _by_id(_persons(), ALVA),
        _pupil("p-utan-nummer", None),
        _pupil("p-fel-siffra", "201601051005"),
        arskurs_10,
        okand_org,
        _pupil("p-nul", "201601051004", givenName="Al\x00va"),
        _pupil("p-typ", "201601051004", givenName=5),
        utan_efternamn,
        5,
        _pupil("p-samma", "201601051004"),  # Alva's number under another id
        {**_by_id(_persons(), ANNA_EK), "civicNo": {"value": "19850310200X"}},
    ]

    body = skicka(client, tokens, poster, url=PERSONS)

    reasons = _reasons(body)
    assert _counts(body) == (11, 1, 0, 0, 10)
    assert reasons[1] == roster.PERSONNUMMER_SAKNAS
    assert reasons[2].startswith("Ogiltigt personnummer (civicNo): Kontrollsiffran")
    assert reasons[3] == "Årskurs 10 finns inte här (förskoleklass 0 och årskurs 1–9)."
    assert reasons[4] == (
        "Skolenheten okand-org är okänd för integrationen. Skicka Organisation först."
    )
    assert reasons[5].startswith("Ogiltig post: givenName")
    assert reasons[6].startswith("Ogiltig post: givenName")
    assert reasons[7].startswith("Ogiltig post: familyName")
    assert reasons[8].startswith("Ogiltig post")
    assert reasons[9] == roster.PERSONNUMMER_I_BATCHEN
    assert reasons[10].startswith("Ogiltigt personnummer (civicNo)")
    assert "201601051004" not in json.dumps(body)
    assert _elev(db, ALVA).fornamn == "Alva"


def test_a_name_is_stripped_and_one_of_only_whitespace_is_refused(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    blank = _pupil("p-blank", "201502061029", givenName=" \u00a0 ")
    padded = _pupil("p-padded", "201601051004", givenName="  Alva ", familyName="Ek\t")

    body = skicka(client, tokens, [blank, padded], url=PERSONS)

    assert _counts(body) == (2, 1, 0, 0, 1)
    assert _reasons(body)[0].startswith("Ogiltig post: givenName")
    assert (_elev(db, "p-padded").fornamn, _elev(db, "p-padded").efternamn) == ("Alva", "Ek")


def test_the_last_of_two_records_with_the_same_id_counts(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    first = _by_id(_persons(), ALVA)
    last = {**_by_id(_persons(), ALVA), "givenName": "Alvina"}

    body = skicka(client, tokens, [first, last], url=PERSONS)

    assert _counts(body) == (2, 1, 0, 0, 1)
    assert _reasons(body) == {0: SAMMA_ID}
    assert _elev(db, ALVA).fornamn == "Alvina"


def test_a_personnummer_of_another_pupil_with_another_source_id_is_rejected(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)
    twin = _pupil("p-annan", "201601051004")
    moved = _by_id(_persons(), HUGO)
    moved["civicNo"] = {"value": "201601051004"}  # Hugo's record now with Alva's number

    body = skicka(client, tokens, [twin, moved], url=PERSONS)

    assert _counts(body) == (2, 0, 0, 0, 2)
    assert _reasons(body) == {0: roster.PERSONNUMMER_UPPTAGET, 1: roster.PERSONNUMMER_UPPTAGET}
    assert _elev(db, HUGO).personnummer == "201310741184"


def test_a_pupil_the_school_registered_gets_the_source_id_and_keeps_its_guardians(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    elev = ny_elev(client, tokens, db, personnummer="201601051004", fornamn="Alva")
    hand = ny_vardnadshavare(client, tokens, elev["id"], personnummer="198503102009")
    persons = _persons()
    alva = _by_id(persons, ALVA)

    body = skicka(client, tokens, [alva, _by_id(persons, ANNA_EK)], url=PERSONS)

    assert _counts(body) == (2, 1, 1, 0, 0)
    stored = _elev(db, ALVA)
    assert str(stored.id) == elev["id"]
    assert (stored.efternamn, stored.arskurs) == ("Ek", "4")
    guardians = _guardians(db, stored.id)
    assert list(guardians) == [ANNA_EK]
    assert str(guardians[ANNA_EK].id) == hand["id"]
    assert guardians[ANNA_EK].fornamn == "Anna"


def test_a_person_at_another_kommuns_school_is_rejected(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    # As if the source had once been bound to it: the id is known but not the client's school.
    db.add(
        SkolaExterntId(kalla=INTEGRATION, extern_id="grann-org", skola_id=skola_id(db, GRANNBYN))
    )
    db.flush()
    elsewhere = _pupil("p-grann", "201601051004")
    elsewhere["enrolments"][0]["enroledAt"]["id"] = "grann-org"
    ours = _pupil("p-var", "201502061029")

    body = skicka(client, tokens, [elsewhere, ours], url=PERSONS)

    assert _counts(body) == (2, 1, 0, 0, 1)
    assert _reasons(body) == {0: "Skolenheten grann-org är inte en av integrationens skolor."}
    assert db.scalars(select(Elev).where(Elev.personnummer == "201601051004")).all() == []


def _no_longer_served(db: Session, skolenhetskod: str) -> None:
    """The demo integration no longer serves the school (as when the school changes system)."""
    integration = db.scalars(select(Integration).where(Integration.klient_id == INTEGRATION)).one()
    db.execute(
        delete(integration_skolor).where(
            integration_skolor.c.integration_id == integration.id,
            integration_skolor.c.skola_id == skola_id(db, skolenhetskod),
        )
    )
    db.flush()


def _at_asen(person: dict[str, Any]) -> dict[str, Any]:
    moved = copy.deepcopy(person)
    moved["enrolments"][0]["enroledAt"]["id"] = ASEN_ORG
    return moved


def test_a_pupil_of_a_school_the_integration_does_not_serve_is_not_taken_over(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    elev = ny_elev(
        client, tokens, db, personnummer="201601051004", skyddad_identitet="skyddad_folkbokforing"
    )
    _no_longer_served(db, EKBACKEN)

    body = skicka(client, tokens, [_at_asen(_by_id(_persons(), ALVA))], url=PERSONS)

    assert _counts(body) == (1, 0, 0, 0, 1)
    assert _reasons(body) == {0: ANNAN_SKOLA}
    stored = db.get(Elev, uuid.UUID(elev["id"]), populate_existing=True)
    assert stored is not None
    assert (stored.skola_id, stored.fornamn, stored.skyddad_identitet, stored.externa_id) == (
        skola_id(db, EKBACKEN),
        "Elev",
        "skyddad_folkbokforing",
        [],
    )


def test_a_pupil_whose_school_the_integration_no_longer_serves_gets_nothing_from_it(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    persons = _persons()
    _organisations(client, tokens)
    skicka(client, tokens, [_by_id(persons, ALVA), _by_id(persons, ANNA_EK)], url=PERSONS)
    alva = _elev(db, ALVA)
    _no_longer_served(db, EKBACKEN)
    renamed = copy.deepcopy(_by_id(persons, ANNA_EK))
    renamed["givenName"] = "Annika"

    body = skicka(client, tokens, [_at_asen(_by_id(persons, ALVA)), renamed], url=PERSONS)

    assert _counts(body) == (2, 0, 1, 0, 1)
    assert _reasons(body) == {0: ANNAN_SKOLA}
    db.expire_all()
    assert _elev(db, ALVA).skola_id == skola_id(db, EKBACKEN)
    assert _guardians(db, alva.id)[ANNA_EK].fornamn == "Anna"


def test_only_a_current_enrolment_in_grundskola_makes_a_pupil(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _organisations(client, tokens)
    enrolment = {"enroledAt": {"id": EKBACKEN_ORG}, "schoolYear": 4, "schoolType": "GR"}
    ended = _pupil("p-slutat", "201601051004")
    ended["enrolments"] = [{**enrolment, "startDate": "2020-08-17", "endDate": "2021-06-10"}]
    cancelled = _pupil("p-avbruten", "201502061029")
    cancelled["enrolments"] = [{**enrolment, "cancelled": True}]
    gymnasium = _pupil("p-gy", "201403071044")
    gymnasium["enrolments"] = [{**enrolment, "schoolType": "GY"}]
    forskoleklass = _pupil("p-f", "201304081068")
    forskoleklass["enrolments"] = [{**enrolment, "schoolYear": 0}]
    tillfallig = _pupil("p-tf", "20130101TF01")

    body = skicka(
        client, tokens, [ended, cancelled, gymnasium, forskoleklass, tillfallig], url=PERSONS
    )

    assert _counts(body) == (5, 5, 0, 0, 0)
    assert [(a["index"], a["skal"]) for a in body["anmarkningar"]] == [
        (0, roster.INGEN_AKTUELL),
        (1, roster.INGEN_AKTUELL),
    ]
    assert _elev(db, "p-f").arskurs == "F"
    assert (_elev(db, "p-tf").personnummer, _elev(db, "p-tf").identitetstyp) == (
        "20130101TF01",
        "tillfalligt",
    )
    kallpersoner = db.scalars(select(Kallperson.extern_id).where(Kallperson.kalla == INTEGRATION))
    assert set(kallpersoner) == {"p-slutat", "p-avbruten", "p-gy"}


def test_attendances_find_the_imported_pupils(client: TestClient, tokens: Tokens) -> None:
    _roster(client, tokens)
    events = skicka(client, tokens, _load("calendarEvents"), url=f"{SS12000}/calendarEvents")
    assert _counts(events) == (30, 30, 0, 0, 0)

    body = skicka(client, tokens, _load("attendances"), url=f"{SS12000}/attendances")

    assert _counts(body) == (300, 300, 0, 0, 0)
    assert body["anmarkningar"] == []


def test_weekly_totals_find_the_imported_pupils(
    client: TestClient, tokens: Tokens, db: Session
) -> None:
    _roster(client, tokens)
    totals = _load("aggregatedAttendance")
    url = f"{SS12000}/aggregatedAttendance"

    body = skicka(client, tokens, totals, url=url)
    again = skicka(client, tokens, {"data": totals}, url=url)

    assert _counts(body) == (10, 10, 0, 0, 0)
    assert _counts(again) == (10, 0, 0, 10, 0)
    stored = db.scalars(
        select(Franvaropost).where(Franvaropost.elev_id == _elev(db, NOAH).id)
    ).one()
    noah = next(t for t in totals if t["student"]["id"] == NOAH)
    assert (stored.datum.isoformat(), stored.schemalagd, stored.giltig, stored.ogiltig) == (
        noah["startDate"],
        noah["offeredSum"],
        noah["validAbsenceSum"],
        noah["invalidAbsenceSum"],
    )


def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(
    client: TestClient, tokens: Tokens
) -> None:
    _organisations(client, tokens)
    headers = {"Idempotency-Key": "personer-2026-11-23"}
    first = skicka(client, tokens, _load("persons"), url=PERSONS, headers=headers)
    retry = skicka(client, tokens, _load("persons"), url=PERSONS, headers=headers)

    assert _counts(first) == (30, 30, 0, 0, 0)
    assert retry == first
    other = skicka(client, tokens, _persons()[:1], url=PERSONS, headers=headers, status=422)
    assert "Idempotency-Key" in other["detail"]


def test_a_body_that_is_not_a_list_of_records_is_a_422(client: TestClient, tokens: Tokens) -> None:
    for url in (PERSONS, ORGANISATIONS):
        skicka(client, tokens, {"poster": []}, url=url, status=422)
        skicka(client, tokens, "text", url=url, status=422)
    response = client.post(
        PERSONS,
        content=b"[{",
        headers={**tokens.headers(INTEGRATION), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text


def test_only_integrations_send_the_roster(client: TestClient, tokens: Tokens) -> None:
    for url in (PERSONS, ORGANISATIONS):
        response = client.post(url, json=[], headers=tokens.headers("kurator"))
        assert response.status_code == 403, response.text

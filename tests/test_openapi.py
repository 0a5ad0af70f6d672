"""The committed contract at openapi/openapi.json must be what the app serves."""

import json
import re

from fastapi import FastAPI

from app.cli import OPENAPI_PATH, openapi_document


def test_committed_openapi_matches_the_app() -> None:
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == openapi_document(), (
        "openapi/openapi.json skiljer sig från appen: kör `make openapi` och checka in filen."
    )


def test_operation_ids_are_unique_and_named(app: FastAPI) -> None:
    operations = [
        operation for path in app.openapi()["paths"].values() for operation in path.values()
    ]
    ids = [operation["operationId"] for operation in operations]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z_]+", operation_id) for operation_id in ids)


def test_errors_are_documented_as_problem_json_only(app: FastAPI) -> None:
    for path in app.openapi()["paths"].values():
        for operation in path.values():
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    assert list(response["content"]) == ["application/problem+json"], (
                        operation["operationId"],
                        code,
                    )


def test_document_round_trips_as_json() -> None:
    assert json.loads(openapi_document())["openapi"].startswith("3.")


def test_every_change_documents_a_required_if_match(app: FastAPI) -> None:
    for path in app.openapi()["paths"].values():
        for method, operation in path.items():
            if method not in {"put", "patch", "delete"}:
                continue
            [if_match] = [p for p in operation["parameters"] if p["name"] == "If-Match"]
            assert if_match["in"] == "header"
            assert if_match["required"] is True, operation["operationId"]
            assert if_match["schema"]["pattern"] == r"\S", operation["operationId"]
            assert {"412", "428"} <= operation["responses"].keys(), operation["operationId"]

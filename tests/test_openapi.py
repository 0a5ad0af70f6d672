"""The committed contract at openapi/openapi.json must be what the app serves."""

import json
import re
from collections.abc import Iterator
from typing import Any

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


def _strings(schema: dict[str, Any], components: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "$ref" in schema:
        yield from _strings(components[schema["$ref"].rsplit("/", 1)[1]], components)
        return
    for option in schema.get("anyOf", []):
        yield from _strings(option, components)
    for member in schema.get("properties", {}).values():
        yield from _strings(member, components)
    if "items" in schema:
        yield from _strings(schema["items"], components)
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        yield schema


def test_request_text_refuses_nul_characters(app: FastAPI) -> None:
    document = app.openapi()
    components = document["components"]["schemas"]
    for path in document["paths"].values():
        for operation in path.values():
            schemas = [
                parameter["schema"]
                for parameter in operation.get("parameters", [])
                if parameter["in"] != "header"  # HTTP/1.1 carries no NUL in a header
            ]
            schemas += [
                content["schema"]
                for content in operation.get("requestBody", {}).get("content", {}).values()
            ]
            for schema in schemas:
                for text in _strings(schema, components):
                    assert not re.search(text.get("pattern", ""), "a\x00b"), (
                        operation["operationId"],
                        text,
                    )

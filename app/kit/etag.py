"""ETag / If-Match for optimistic concurrency on single resources (API.md: Concurrency)."""

from typing import Annotated, Any

from fastapi import Header, Response

from app.core.errors import PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


IF_MATCH = "If-Match"
IF_MATCH_MAX_LENGTH = 200
IF_MATCH_DESCRIPTION = "ETag från senaste GET; krävs för ändringar"

IfMatchHeader = Annotated[
    str | None,
    Header(alias=IF_MATCH, max_length=IF_MATCH_MAX_LENGTH, description=IF_MATCH_DESCRIPTION),
]


def document_if_match_as_required(document: dict[str, Any]) -> None:
    """Marks If-Match required in the OpenAPI document, since every change needs it.

    The endpoints read the header as optional only so that a missing one is answered with 428
    (RFC 6585) rather than with FastAPI's 422; the contract states what a client must send. A
    blank value counts as missing, so the value must hold something other than white space.
    """
    for path in document["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"] == IF_MATCH:
                    parameter["required"] = True
                    parameter["schema"] = {
                        "type": "string",
                        "maxLength": IF_MATCH_MAX_LENGTH,
                        "pattern": r"\S",
                        "description": IF_MATCH_DESCRIPTION,
                    }


def check_if_match(if_match: str | None, version: int) -> None:
    """428 when the header is missing, 412 when it names another version than the current one."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("Ange If-Match med resursens ETag.")
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and etag(version) not in tags:
        raise PreconditionFailed(
            "Resursen har ändrats sedan den lästes. Hämta den igen och försök på nytt."
        )

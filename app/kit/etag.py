"""ETag / If-Match for optimistic concurrency on single resources (API.md: Concurrency)."""

from typing import Annotated

from fastapi import Header, Response

from app.core.errors import PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description="ETag från senaste GET; krävs för ändringar",
    ),
]


def check_if_match(if_match: str | None, version: int) -> None:
    """428 when the header is missing, 412 when it names another version than the current one."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("Ange If-Match med resursens ETag.")
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and etag(version) not in tags:
        raise PreconditionFailed(
            "Resursen har ändrats sedan den lästes. Hämta den igen och försök på nytt."
        )

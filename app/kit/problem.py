"""The problem+json schema as the OpenAPI document shows it, and the error responses per route."""

from typing import Any

from pydantic import BaseModel, Field

from app.core.errors import PROBLEM_MEDIA_TYPE


class ProblemFel(BaseModel):
    plats: str = Field(description="Var felet finns, t.ex. body.namn")
    meddelande: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFel] | None = None


_DESCRIPTIONS = {
    400: "Felaktig begäran",
    401: "Ingen eller ogiltig token",
    403: "Token saknar behörighet",
    404: "Finns inte, eller får inte visas för den som frågar",
    409: "Konflikt med resursens tillstånd",
    412: "If-Match anger en inaktuell version",
    413: "Begäran är för stor",
    422: "Ogiltig indata",
    428: "If-Match saknas",
    429: "För många försök",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {
            "description": _DESCRIPTIONS[code],
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for code in codes
    }


# Every protected route can answer these.
PROTECTED = problem_responses(401, 403, 422)

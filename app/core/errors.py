"""The typed error tree and the one handler that renders every error as RFC 9457 problem+json.

Texts are Swedish and never carry stack traces, SQL or personal data.
"""

import logging
import traceback
import uuid
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar, cast
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import Scope

logger = logging.getLogger(__name__)

PROBLEM_BASE = "https://samverka.se/problem/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# The detail of a 422 from request validation (the shape the OpenAPI document describes), as
# opposed to the 422s of rules the document cannot state, which name their own detail.
VALIDATION_DETAIL = "En eller flera uppgifter i begäran är ogiltiga."
# The detail when every error comes from a rule the document cannot state (a check digit, a
# combination of fields): the data had the documented shape but broke a rule of the service.
RULE_DETAIL = "En eller flera uppgifter i begäran följer inte reglerna."
_RULE_ERRORS = frozenset({"value_error", "assertion_error"})


class AppError(Exception):
    """Base of every error the service raises on purpose."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internt-fel"
    title: ClassVar[str] = "Internt fel"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = list(errors) if errors else None
        self.headers = dict(headers) if headers else None


class InvalidInput(AppError):
    status = 422
    slug = "ogiltig-indata"
    title = "Ogiltig indata"


class Unauthorized(AppError):
    status = 401
    slug = "ej-autentiserad"
    title = "Inloggning krävs"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status = 403
    slug = "behorighet-saknas"
    title = "Behörighet saknas"


class NotFound(AppError):
    """The object does not exist, or the caller may not know that it exists."""

    status = 404
    slug = "hittades-inte"
    title = "Resursen finns inte"

    def __init__(
        self,
        resurs_typ: str,
        resurs_id: object | None = None,
        *,
        elev_id: uuid.UUID | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(detail or "Resursen finns inte eller så saknas behörighet till den.")
        self.resurs_typ = resurs_typ
        self.resurs_id = None if resurs_id is None else str(resurs_id)
        self.elev_id = elev_id


class Conflict(AppError):
    status = 409
    slug = "konflikt"
    title = "Konflikt"


class GateNotMet(Conflict):
    slug = "villkor-ej-uppfyllt"
    title = "Villkor för övergången är inte uppfyllda"


class PreconditionRequired(AppError):
    status = 428
    slug = "if-match-saknas"
    title = "If-Match krävs"


class PreconditionFailed(AppError):
    status = 412
    slug = "inaktuell-version"
    title = "Resursen har ändrats"


class PayloadTooLarge(AppError):
    status = 413
    slug = "for-stor-begaran"
    title = "Begäran är för stor"


class TooManyRequests(AppError):
    status = 429
    slug = "for-manga-forsok"
    title = "För många försök"


# Titles for errors raised by the framework itself (unknown route, wrong method, body too large).
_FRAMEWORK_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("felaktig-begaran", "Felaktig begäran", "Begäran kunde inte tolkas."),
    401: ("ej-autentiserad", "Inloggning krävs", "Giltig token saknas."),
    403: ("behorighet-saknas", "Behörighet saknas", "Behörighet saknas för åtgärden."),
    404: ("hittades-inte", "Resursen finns inte", "Det finns ingen resurs på den adressen."),
    405: ("metod-ej-tillaten", "Metoden är inte tillåten", "Metoden stöds inte på adressen."),
    406: ("format-stods-inte", "Formatet stöds inte", "Svarsformatet som begärdes stöds inte."),
    413: ("for-stor-begaran", "Begäran är för stor", "Begärans innehåll är för stort."),
    415: ("mediatyp-stods-inte", "Mediatypen stöds inte", "Innehållets mediatyp stöds inte."),
}

# Swedish messages for Pydantic's error types; input values are never echoed back.
_VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "Fältet saknas.",
    "extra_forbidden": "Okänt fält.",
    "string_too_short": "Texten är för kort (minst {min_length} tecken).",
    "string_too_long": "Texten är för lång (högst {max_length} tecken).",
    "string_pattern_mismatch": "Texten har fel format.",
    "string_type": "Ska vara en text.",
    "int_type": "Ska vara ett heltal.",
    "int_parsing": "Ska vara ett heltal.",
    "bool_type": "Ska vara sant eller falskt.",
    "bool_parsing": "Ska vara sant eller falskt.",
    "float_type": "Ska vara ett tal.",
    "float_parsing": "Ska vara ett tal.",
    "greater_than_equal": "Ska vara minst {ge}.",
    "less_than_equal": "Får vara högst {le}.",
    "greater_than": "Ska vara större än {gt}.",
    "less_than": "Ska vara mindre än {lt}.",
    "too_short": "För få element (minst {min_length}).",
    "too_long": "För många element (högst {max_length}).",
    "list_type": "Ska vara en lista.",
    "dict_type": "Ska vara ett objekt.",
    "model_attributes_type": "Ska vara ett objekt.",
    "enum": "Ska vara ett av: {expected}.",
    "literal_error": "Ska vara ett av: {expected}.",
    "uuid_parsing": "Ska vara ett UUID.",
    "uuid_type": "Ska vara ett UUID.",
    "date_parsing": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "date_from_datetime_parsing": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "datetime_parsing": "Ska vara en tidpunkt enligt RFC 3339.",
    "datetime_from_date_parsing": "Ska vara en tidpunkt enligt RFC 3339.",
    "timezone_aware": "Tidpunkten ska ha tidszon.",
    "json_invalid": "Innehållet är inte giltig JSON.",
    "json_type": "Innehållet är inte giltig JSON.",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def problem_instance(scope: Scope) -> str:
    """The request's path, percent-encoded: RFC 9457 (3.1.5) makes `instance` a URI reference."""
    return quote(scope["path"], safe="/:@!$&'()*+,;=")


def problem_body(
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str,
    errors: Sequence[Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = list(errors)
    return body


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: Sequence[Mapping[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = problem_body(
        status=status,
        slug=slug,
        title=title,
        detail=detail,
        instance=problem_instance(request.scope),
        errors=errors,
    )
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _validation_message(error: Mapping[str, Any]) -> str:
    template = _VALIDATION_MESSAGES.get(error["type"])
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if template is None:
        return "Ogiltigt värde."
    if "error" in ctx:
        ctx["error"] = ctx["error"].removeprefix("Value error, ")
    try:
        return template.format(**ctx)
    except KeyError:
        return "Ogiltigt värde."


def validation_errors(raw_errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "plats": ".".join(str(part) for part in error["loc"]),
            "meddelande": _validation_message(error),
        }
        for error in raw_errors
    ]


async def _handle_app_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(AppError, exc)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
    )


def _invalid_request(request: Request, raw_errors: Sequence[Mapping[str, Any]]) -> JSONResponse:
    only_rules = all(error["type"] in _RULE_ERRORS for error in raw_errors)
    return problem_response(
        request,
        status=422,
        slug=InvalidInput.slug,
        title=InvalidInput.title,
        detail=RULE_DETAIL if only_rules else VALIDATION_DETAIL,
        errors=validation_errors(raw_errors),
    )


async def _handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    return _invalid_request(request, cast(RequestValidationError, exc).errors())


def _allowed_methods(request: Request) -> list[str]:
    """Every method the resource at the request's path supports. Where templates overlap
    (`/elever/sok` and `/elever/{elev_id}`), the resource is the one with the fewest parameters."""
    by_template: dict[str, set[str]] = {}
    for route in iter_route_contexts(request.app.routes):
        if route.methods and route.path and compile_path(route.path)[0].match(request.url.path):
            by_template.setdefault(route.path, set()).update(route.methods)
    if not by_template:
        return []
    fewest = min(template.count("{") for template in by_template)
    return sorted(
        method
        for template, methods in by_template.items()
        if template.count("{") == fewest
        for method in methods
    )


async def _handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(StarletteHTTPException, exc)
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI reads a JSON body with json.loads(bytes), where bytes that are not UTF-8 raise
        # UnicodeDecodeError instead of JSONDecodeError and come out as a bare 400. JSON is UTF-8
        # (RFC 8259), so such a body is malformed JSON and gets the same answer as any other.
        return _invalid_request(request, [{"type": "json_invalid", "loc": ("body",)}])
    slug, title, detail = _FRAMEWORK_PROBLEMS.get(
        exc.status_code,
        ("fel", HTTPStatus(exc.status_code).phrase, HTTPStatus(exc.status_code).phrase),
    )
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # The router names only the first route that matched the path, but GET and POST on one path
        # are two routes here; RFC 9110 (15.5.6) wants every method the resource supports.
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem_response(
        request,
        status=exc.status_code,
        slug=slug,
        title=title,
        detail=detail,
        headers=headers or None,
    )


async def _handle_stale_data(request: Request, exc: Exception) -> JSONResponse:
    # Optimistic locking: another transaction changed the row after this one read it.
    return problem_response(
        request,
        status=PreconditionFailed.status,
        slug=PreconditionFailed.slug,
        title=PreconditionFailed.title,
        detail="Resursen ändrades samtidigt av någon annan. Hämta den igen och försök på nytt.",
    )


def _is_unique_violation(exc: IntegrityError) -> bool:
    if getattr(exc.orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return "UNIQUE constraint failed" in str(exc.orig)  # SQLite


async def _handle_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # A unique key taken by a concurrent request after this one checked it (the services check
    # first and answer 409 themselves; this is the race between the check and the write).
    if isinstance(exc, IntegrityError) and _is_unique_violation(exc):
        return problem_response(
            request,
            status=Conflict.status,
            slug=Conflict.slug,
            title=Conflict.title,
            detail="En samtidig ändring hann före och uppgiften finns redan. Läs om och försök "
            "igen.",
        )
    return await handle_unexpected(request, exc)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Where it happened, not what the exception says: a database error's message can repeat the
    # values of the row (a personnummer in a unique key), and log lines hold no personal data.
    where = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("oväntat fel: %s\n%s", type(exc).__name__, where)
    return problem_response(
        request,
        status=500,
        slug=AppError.slug,
        title=AppError.title,
        detail="Ett oväntat fel inträffade. Inget sparades.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    app.add_exception_handler(StaleDataError, _handle_stale_data)
    app.add_exception_handler(IntegrityError, _handle_integrity_error)
    app.add_exception_handler(Exception, handle_unexpected)

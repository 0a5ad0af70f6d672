"""The application: `create_app()` wires routers, middleware, error handlers and docs."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.anteckningar.router import router as anteckningar_router
from app.anvandare.router import router as anvandare_router
from app.arenden.ansvarsplan.router import router as ansvarsplan_router
from app.arenden.insatser.router import router as insatser_router
from app.arenden.kartlaggning.router import router as kartlaggning_router
from app.arenden.moten.router import router as moten_router
from app.arenden.router import router as arenden_router
from app.arenden.uppfoljningar.router import router as uppfoljningar_router
from app.audit.router import elev_router as atkomstlogg_router
from app.audit.router import router as audit_router
from app.auth.router import router as auth_router
from app.avvikelser.router import router as avvikelser_router
from app.core.body_limit import BodyLimitMiddleware
from app.core.config import Settings, get_settings
from app.core.docs import install_docs
from app.core.errors import PROBLEM_MEDIA_TYPE, install_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import Metrics, RequestContextMiddleware
from app.db import registry  # noqa: F401 - every table mapped, so foreign keys resolve
from app.db.engine import build_engine, build_sessionmaker
from app.db.session import connection_slots
from app.drift.router import router as drift_router
from app.elever.router import router as elever_router
from app.franvaro.import_router import router as import_router
from app.franvaro.router import router as franvaro_router
from app.integrationer.router import router as integrationer_router
from app.kit import API_PREFIX
from app.kit.etag import document_if_match_as_required
from app.kvalitet.mal.router import router as kvalitetsmal_router
from app.kvalitet.statistik.router import router as statistik_router
from app.orosanmalningar.router import router as orosanmalningar_router
from app.samtycken.router import router as samtycken_router
from app.skolor.router import router as skolor_router

OPENAPI_URL = f"{API_PREFIX}/openapi.json"
TITLE = "Samverka"
DESCRIPTION = (
    "API för samverkan mellan skola och socialtjänst kring elever med problematisk "
    "skolfrånvaro, och för skolkuratorns psykosociala arbete. Alla fel besvaras som "
    "RFC 9457 `application/problem+json`. Logga in via **Authorize** med ett demokonto "
    "(se README) eller en integrationsklient."
)


def _operation_id(route: APIRoute) -> str:
    # Function names are unique and stable, so clients generated from the document keep their names.
    return route.name


ROUTERS = (
    drift_router,
    auth_router,
    skolor_router,
    anvandare_router,
    integrationer_router,
    elever_router,
    samtycken_router,
    arenden_router,
    moten_router,
    kartlaggning_router,
    ansvarsplan_router,
    insatser_router,
    uppfoljningar_router,
    orosanmalningar_router,
    anteckningar_router,
    avvikelser_router,
    import_router,
    franvaro_router,
    statistik_router,
    kvalitetsmal_router,
    audit_router,
    atkomstlogg_router,
)


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    # Errors are problem+json only; FastAPI also lists application/json for declared models.
    for path in schema["paths"].values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code.startswith(("4", "5")) and PROBLEM_MEDIA_TYPE in content:
                    content.pop("application/json", None)
    document_if_match_as_required(schema)
    app.openapi_schema = schema
    return schema


# Paths that take batches from source systems get the larger cap.
IMPORT_PATHS = (f"{API_PREFIX}/import/", f"{API_PREFIX}/franvaro")


def body_limits(settings: Settings) -> Callable[[str], int]:
    def limit_for(path: str) -> int:
        if path.startswith(IMPORT_PATHS):
            return settings.max_import_body_bytes
        return settings.max_body_bytes

    return limit_for


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    engine = build_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Made here so that it belongs to the event loop that serves the requests.
        app.state.db_slots = anyio.CapacityLimiter(connection_slots(settings))
        yield
        engine.dispose()

    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version="1.0.0",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = build_sessionmaker(engine)
    app.state.metrics = Metrics()

    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, limit_for=body_limits(settings))
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    for router in ROUTERS:
        app.include_router(router)
    install_docs(app, openapi_url=OPENAPI_URL, title=TITLE)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def __getattr__(name: str) -> FastAPI:
    # `app.main:app` for any ASGI server, built on first access so importing the module is cheap.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)

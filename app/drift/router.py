"""Liveness, readiness and metrics for the platform that runs the service."""

from typing import cast

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from app.core.middleware import Metrics
from app.db.migrations import current_revisions, head_revisions

router = APIRouter(tags=["drift"])


class Status(BaseModel):
    status: str


@router.get("/healthz", summary="Processen svarar")
def healthz() -> Status:
    return Status(status="ok")


@router.get(
    "/readyz",
    summary="Databasen nås och migreringarna är körda",
    responses={503: {"description": "Inte redo", "model": Status}},
)
def readyz(request: Request, response: Response) -> Status:
    try:
        with request.app.state.sessionmaker() as session:
            ready = current_revisions(session.connection()) == head_revisions()
    except SQLAlchemyError:
        ready = False
    if not ready:
        response.status_code = 503
        return Status(status="inte redo")
    return Status(status="ok")


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    metrics = cast(Metrics, request.app.state.metrics)
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

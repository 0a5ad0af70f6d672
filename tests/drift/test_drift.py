import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app
from tests.helpers import Tokens


def test_healthz_and_readyz_answer_ok(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_readyz_is_503_when_migrations_have_not_run(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'tom.db'}"))
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "inte redo"}


def test_metrics_count_requests_by_route_template(client: TestClient, tokens: Tokens) -> None:
    skola_id = client.get("/api/v1/skolor", headers=tokens.headers("admin")).json()["data"][0]["id"]
    client.get(f"/api/v1/skolor/{skola_id}", headers=tokens.headers("admin"))

    metrics = client.get("/metrics")

    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'route="/api/v1/skolor/{skola_id}"' in text
    assert skola_id not in text
    assert re.search(
        r'samverka_http_requests_total\{method="GET",route="/api/v1/skolor",status="200"\} \d',
        text,
    )
    assert "samverka_http_request_duration_seconds_bucket" in text


def test_docs_are_served_without_any_outside_address(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], page
        for asset in re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', html):
            assert client.get(asset).status_code == 200, asset
    assert "oauth2RedirectUrl" in client.get("/docs").text
    assert client.get("/docs/oauth2-redirect").status_code == 200


def test_openapi_document_is_served_under_the_api_prefix(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Samverka"
    assert "OAuth2" in document["components"]["securitySchemes"]

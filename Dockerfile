# syntax=docker/dockerfile:1
# Build: docker build -t samverka .
# Run:   docker run -e SAMVERKA_JWT_SECRET=... -e SAMVERKA_DATABASE_URL=postgresql+psycopg://... -p 8000:8000 samverka

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /opt/venv
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY openapi ./openapi
RUN /opt/venv/bin/pip install --no-deps -e .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SAMVERKA_ENV=prod \
    HOST=0.0.0.0 \
    PORT=8000
RUN groupadd --system samverka && useradd --system --gid samverka --home-dir /app samverka
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=samverka:samverka /app /app
USER samverka
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=2)"]
# Migrations first, then the server; the service refuses to start in prod with a default secret.
CMD ["sh", "-c", "samverka migrate && exec samverka serve"]

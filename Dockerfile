# saasapp in one container. At build time: Python requirements, bun (from npm) and the
# production frontend (scripts/build-frontend). At start (scripts/start): migrations, then the
# web app (Reflex production, port 3000), the RQ worker and the scheduler under
# `python -m saasapp.serve`, which stops them all on SIGTERM. Needs PostgreSQL and Redis:
# see docker-compose.yml. CI runs the same scripts outside Docker (scripts/probe_start.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    REFLEX_HTTP_CLIENT_BIND_ADDRESS=0.0.0.0 \
    PATH=/app/.tools/bun/bin:$PATH \
    PORT=3000 \
    WORKERS=1

# npm installs bun (Reflex builds the frontend with it); tini runs as PID 1, forwards
# signals and reaps orphaned processes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm tini \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

RUN useradd --create-home --uid 10001 saasapp \
    && mkdir /app \
    && chown saasapp:saasapp /app
WORKDIR /app
USER saasapp

# Same bun as the Makefile's BUN_VERSION.
ARG BUN_VERSION=1.4.5
RUN npm install --global --prefix /app/.tools/bun --no-fund --no-audit "bun@${BUN_VERSION}" \
    && rm -rf /home/saasapp/.npm

COPY --chown=saasapp:saasapp . .

# The frontend is built for the port it is served on (PORT); scripts/start serves this build
# without rebuilding it (saasapp.serve --prebuilt).
RUN scripts/build-frontend \
    && rm -rf /home/saasapp/.bun/install/cache /home/saasapp/.npm

EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/v1/health' % os.environ.get('PORT', '3000'), timeout=4)"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["scripts/start"]

#!/usr/bin/env bash
# One granian app server (systemd: deploy/systemd/solibook-app.service).
# prometheus-client's multiprocess files are per service start: emptied here,
# before any worker imports the app, then each worker writes its own.
set -euo pipefail
cd "${SOLIBOOK_HOME:-/srv/solibook/app}"
: "${PROMETHEUS_MULTIPROC_DIR:=/run/solibook/metrics}"
export PROMETHEUS_MULTIPROC_DIR
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete
exec .venv/bin/granian --interface wsgi \
    --host "${APP_HOST:-0.0.0.0}" --port "${APP_PORT:-8000}" \
    --workers "${APP_WORKERS:-2}" --blocking-threads "${APP_THREADS:-4}" \
    --respawn-failed-workers --log-level warning \
    config.wsgi:application

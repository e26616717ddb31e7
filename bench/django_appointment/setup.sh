#!/usr/bin/env bash
# Creates bench/.venv-django-appointment (python3.11) with the pinned
# requirements.txt beside this script. Idempotent: a marker file holding the
# requirements' checksum makes a second run instant; edit requirements.txt and
# the next run reinstalls.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$(dirname "$HERE")/.venv-django-appointment"
REQS="$HERE/requirements.txt"
MARKER="$VENV/.installed"

fail() { echo "bench/django_appointment/setup.sh: $*" >&2; exit 1; }

[ -f "$REQS" ] || fail "missing $REQS"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
    exit 0
fi

PY="${PYTHON311:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || fail "python3.11 not found (set PYTHON311=/path/to/python3.11)"
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null \
    || fail "$PY is not Python 3.11"

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV" >&2
    "$PY" -m venv "$VENV" || fail "could not create the virtual environment $VENV"
fi
echo "installing $REQS into $VENV" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" \
    || fail "pip install -r $REQS failed"
"$VENV/bin/python" -c 'import importlib.metadata as m, django, psycopg; assert m.version("django-appointment") == "3.12.0"' \
    || fail "django-appointment 3.12.0 is not importable after install"
echo "$want" > "$MARKER"
echo "ready: $VENV" >&2

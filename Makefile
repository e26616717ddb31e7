# Solibook: `make run` serves the product with demo data on SQLite;
# `make test` runs the whole suite (PostgreSQL when one answers, else SQLite).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VAR := var
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# The suite on two processes, a test file each at a time (module fixtures such as
# the seeded demo are built once); `make test PYTEST_ARGS=` runs it in one.
PYTEST_ARGS ?= -n 2 --dist loadfile
export SOLIBOOK_VAR_DIR := $(CURDIR)/$(VAR)

.PHONY: install run test lint typecheck format bench evaluate system-deps vendor lock messages compilemessages clean

# --- installation ------------------------------------------------------------
$(BIN)/activate:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.lock pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

# Pin exactly what pyproject's dependencies resolve to, in a clean virtualenv
# (so nothing installed by hand slips in): run after changing them.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock
	rm -rf .lock-venv

# --- running -------------------------------------------------------------------
$(VAR)/secret_key:
	@mkdir -p $(VAR)
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

# The whole product on SQLite under var/: migrate, demo data when empty,
# background worker, notification worker, and the granian WSGI server. The demo
# profile (SOLIBOOK_DEMO=1) keeps every outgoing message in /<lang>/demo/inbox/.
run: install $(VAR)/secret_key
	@set -e; \
	export SECRET_KEY="$$(cat $(VAR)/secret_key)" DEBUG=0 SECURE_COOKIES=0 REQUIRE_2FA=$${REQUIRE_2FA:-0} \
	       ALLOWED_HOSTS="$(HOST),localhost,127.0.0.1" DJANGO_SETTINGS_MODULE=config.settings.base \
	       SOLIBOOK_DEMO=$${SOLIBOOK_DEMO:-1} NOTIFICATIONS_SITE_URL=$${NOTIFICATIONS_SITE_URL:-http://$(HOST):$(PORT)}; \
	$(PY) manage.py migrate --noinput -v 0; \
	if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'bench/*'; fi; \
	$(PY) manage.py collectstatic --noinput -v 0; \
	$(PY) manage.py seed_demo --if-empty; \
	$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	$(PY) manage.py run_notifications --interval 2 & notifier=$$!; \
	$(PY) manage.py run_periodic & periodic=$$!; \
	trap 'kill $$worker $$notifier $$periodic 2>/dev/null' EXIT INT TERM; \
	echo "Solibook on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"; \
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
	    config.wsgi:application

# --- tests -------------------------------------------------------------------
# Debian packages the tests use: chromium for browser tests (never
# `playwright install`, which downloads), gettext to compile translations.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "apt-get install$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (sudo apt-get install$$missing)"; fi; \
	fi

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'bench/*'
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# mypy with django-stubs over core, catalog, booking, finance and inventory
# ([tool.mypy] in pyproject.toml; stubs of untyped libraries in typings/).
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(PY) bench/run.py

# docs/deploy.md's topology on this machine: nginx and 1 then 2 granian servers on
# a throw-away PostgreSQL database, Redis, task workers 1 -> 2 -> 4;
# bench/results/scaleout.json. Installs nginx/Redis from Debian when missing.
.PHONY: bench-scaleout
bench-scaleout: install
	bash deploy/system-deps.sh
	$(PY) bench/scaleout.py $(if $(NOTE),--note "$(NOTE)")

# Lighthouse (mobile) on the home, search, salon and wizard pages of `make run`'s demo, with
# Debian's Chromium, beside a bare-page floor; bench/results/pages.json. 15 Lighthouse runs
# (about 5 minutes idle) after the demo's seed (1 minute idle, 12 under a load of 10).
.PHONY: bench-pages
bench-pages: install
	@[ -f node_modules/lighthouse/cli/index.js ] || npm ci --no-audit --no-fund
	$(PY) bench/pages.py $(if $(NOTE),--note "$(NOTE)")

# Every model against its naive baseline (bench/evaluate.py): a throw-away SQLite
# database under var/ with the demo's synthetic year, or a real salon with
# `make evaluate BUSINESS=<slug>` (on DATABASE_URL); bench/results/evaluation.json.
evaluate: install
	$(PY) bench/evaluate.py $(if $(BUSINESS),--business $(BUSINESS))

# --- maintenance -------------------------------------------------------------
# Copy the built files of package.json's libraries into static/vendor (committed).
# EventCalendar's MIT licence (its npm package does not include the file).
define EVENT_CALENDAR_LICENSE
MIT License

Copyright (c) 2021 vkurko

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
endef
export EVENT_CALENDAR_LICENSE

vendor:
	npm ci --no-audit --no-fund
	rm -rf solibook/static/vendor && mkdir -p solibook/static/vendor/{bootstrap,htmx,axe-core,event-calendar,chartjs}
	cp node_modules/bootstrap/dist/css/bootstrap{,.rtl}.min.css{,.map} solibook/static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} solibook/static/vendor/bootstrap/
	cp node_modules/bootstrap/LICENSE solibook/static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE solibook/static/vendor/htmx/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE solibook/static/vendor/axe-core/
	cp node_modules/chart.js/dist/chart.umd.min.js{,.map} node_modules/chart.js/LICENSE.md solibook/static/vendor/chartjs/
	cp node_modules/@event-calendar/build/dist/event-calendar.min.{js,js.map,css} solibook/static/vendor/event-calendar/
	@# The npm package ships no LICENSE file: write the upstream MIT notice (github.com/vkurko/calendar).
	printf '%s\n' "$$EVENT_CALENDAR_LICENSE" > solibook/static/vendor/event-calendar/LICENSE
	mkdir -p solibook/static/vendor/{leaflet,pannellum}
	cp -r node_modules/leaflet/dist/leaflet.{js,js.map,css} node_modules/leaflet/dist/images node_modules/leaflet/LICENSE solibook/static/vendor/leaflet/
	cp node_modules/pannellum/build/pannellum.{js,css} node_modules/pannellum/COPYING solibook/static/vendor/pannellum/
	$(MAKE) --no-print-directory css

# Bootstrap cut to the selectors the templates and scripts can use (purgecss.config.cjs),
# LTR and RTL; base.html links the cut files. Run after changing a template's classes
# (core/tests/test_page_weight.py fails when a class the templates name was cut).
.PHONY: css
css:
	@[ -x node_modules/.bin/purgecss ] || npm ci --no-audit --no-fund
	rm -rf var/purgecss && mkdir -p var/purgecss
	node_modules/.bin/purgecss -c purgecss.config.cjs -o var/purgecss \
	    --css solibook/static/vendor/bootstrap/bootstrap.min.css solibook/static/vendor/bootstrap/bootstrap.rtl.min.css
	mv var/purgecss/bootstrap.min.css solibook/static/vendor/bootstrap/bootstrap.purged.min.css
	mv var/purgecss/bootstrap.rtl.min.css solibook/static/vendor/bootstrap/bootstrap.rtl.purged.min.css
	rm -rf var/purgecss

messages: install
	cd solibook && ../$(PY) ../manage.py makemessages -l fr -l ru -l ar --no-obsolete --ignore 'static/*'

compilemessages: install
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'bench/*'

clean:
	rm -rf $(VENV) $(VAR)/static .pytest_cache .ruff_cache

# The two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 5000
export PATH := $(abspath $(BIN)):$(PATH)

# The tests' real OpenID provider (tests/oidc/provider.mjs, the npm package oidc-provider).
OIDC_PROVIDER := tests/oidc
OIDC_MODULES := $(OIDC_PROVIDER)/node_modules/.package-lock.json

.PHONY: install run test lint format translations extract-messages lock bench proof proof-matrix clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations -f --statistics

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs='.*' -o portal/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching

run: install
	$(BIN)/flask --app wsgi db upgrade
	@$(BIN)/flask --app wsgi portal reindex-search >/dev/null
	@echo "Demo accounts (role, email, password, authenticator-app key):"
	@$(BIN)/flask --app wsgi portal demo
	@echo "Open http://127.0.0.1:$(PORT)/ — Ctrl-C stops web, worker and beat."
	PORTAL_PORT=$(PORT) $(BIN)/honcho --procfile Procfile start --port $(PORT)

# Style, the layers of STYLE.md (contracts in pyproject.toml) and the types of core and
# notifications.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(OIDC_MODULES): $(OIDC_PROVIDER)/package-lock.json
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund

test: install lint $(OIDC_MODULES)
	$(PY) -m pytest -n 2 --durations=25

# The deployment as docker-compose.yml defines it, without Docker, and people's journeys over
# HTTPS (proof/). Needs PostgreSQL (TEST_POSTGRES_URL), redis-server and openssl.
proof: install
	$(PY) -m proof

# The outbox's fault matrix: 1 000 emails per fault against its own PostgreSQL cluster, Redis and
# a misbehaving SMTP server (proof/matrix.py). About 5 minutes; `python -m proof --matrix NAME`
# runs the scenarios whose name contains NAME.
proof-matrix: install
	$(PY) -m proof --matrix

bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache

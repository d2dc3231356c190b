# regiopool: two commands matter — `make demo` and `make test`. Both install first (from uv.lock).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
VENV   := .venv
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# byte-compile at install: the environment may forbid writing .pyc at run time
# (PYTHONDONTWRITEBYTECODE), and every Airflow, dbt and GX process would compile again
export UV_COMPILE_BYTECODE := 1

.PHONY: install demo test test-fast airflow bench lint clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

## install: the locked environment in .venv (uv.lock; nothing else is needed)
install: $(VENV)/.installed

## demo: generate the sample inbox (var/inbox) and run the whole pipeline through Airflow
demo: install
	$(VENV)/bin/regiopool demo

## test: the whole test suite (unit, dbt, quality, extract, DAGs, end to end)
test: install
	$(VENV)/bin/pytest

## test-fast: everything but the end-to-end runs
test-fast: install
	$(VENV)/bin/pytest -m "not slow"

## airflow: a real Airflow (standalone: scheduler, API server, UI on :8080) with regiopool's DAGs
airflow: install
	$(VENV)/bin/python -m regiopool.ops.standalone

## bench: benchmarks (prints figures; not a test). Scale 1000 takes about two hours:
##        make bench BENCH_SCALES=100,1000 on an idle machine
BENCH_SCALES ?= 1,10
bench: install
	$(UV) sync --frozen --python $(PYTHON) --group bench
	$(VENV)/bin/python benchmarks/run.py --scales $(BENCH_SCALES)

lint: install
	$(VENV)/bin/ruff check src dags tests

clean:
	rm -rf var .pytest_cache

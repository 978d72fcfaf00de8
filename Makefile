# The two commands of the README.  Both install what they need first.
PY ?= python3

.PHONY: install demo test test-deps bench

install:
	$(PY) -m pip install -q -e .

demo: install
	govaudit demo

# Installs test dependencies (pip extras, Debian chromium, PostgreSQL) and runs the whole suite.
test:
	bash scripts/test.sh

bench: install
	bash scripts/bench.sh

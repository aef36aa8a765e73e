# Two commands do everything (see README "Quick start"):
#   make report   set up .venv if needed, then render every report in params/ from the shipped data
#   make test     set up .venv (with the test, lab, bench and lint extras) if needed, then run the
#                 whole test suite
# Also: make lab (JupyterLab on notebooks/), make lint (pre-commit run --all-files).
# Set-up uses uv (fast, shows progress) when it is on the PATH; otherwise it creates the venv with
# Python's venv module, installs uv into it with pip, and uses that; if that fails, pip does the
# install. Every install is constrained to the tested versions in constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := constraints.txt
REPORT_STAMP := $(VENV)/.sna-installed-report
LAB_STAMP := $(VENV)/.sna-installed-lab
TEST_STAMP := $(VENV)/.sna-installed-test
TEST_EXTRAS := test,lab,bench,lint
export UV_PYTHON_DOWNLOADS := never

.PHONY: report test lab lint setup setup-test clean-reports

# install(EXTRAS): create .venv if missing, then install the project (with EXTRAS) in it.
define install
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "sna needs Python 3.11 or newer"'
	@set -e; \
	uv=$$(command -v uv || true); \
	if [ ! -x $(BIN)/python ]; then \
	  if [ -n "$$uv" ]; then \
	    echo "==> [1/2] creating $(VENV) with $$uv"; \
	    "$$uv" venv --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')" $(VENV); \
	  else \
	    echo "==> [1/2] creating $(VENV) with $(PYTHON) -m venv (uv not on the PATH)"; \
	    $(PYTHON) -m venv $(VENV); \
	    echo "==>       installing uv into $(VENV) with pip"; \
	    $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on uv \
	      || echo "==>       could not install uv: pip will do the install"; \
	  fi; \
	else echo "==> [1/2] $(VENV) exists"; fi; \
	[ -n "$$uv" ] || uv=$$(ls $(BIN)/uv 2>/dev/null || true); \
	if [ -n "$$uv" ]; then \
	  echo "==> [2/2] installing sna$(1) and its dependencies with uv (versions from $(CONSTRAINTS))"; \
	  "$$uv" pip install --python $(BIN)/python -c $(CONSTRAINTS) -e ".$(1)"; \
	else \
	  echo "==> [2/2] installing sna$(1) and its dependencies with pip (versions from $(CONSTRAINTS))"; \
	  $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on \
	    -c $(CONSTRAINTS) -e ".$(1)"; \
	fi
	@echo "==> set-up done: $(VENV)"
endef

$(REPORT_STAMP): pyproject.toml $(CONSTRAINTS)
	$(call install,)
	@touch $@

$(LAB_STAMP): pyproject.toml $(CONSTRAINTS)
	$(call install,[lab])
	@touch $@ $(REPORT_STAMP)

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS)
	$(call install,[$(TEST_EXTRAS)])
	@touch $@ $(LAB_STAMP) $(REPORT_STAMP)

setup: $(REPORT_STAMP)
setup-test: $(TEST_STAMP)

report: $(REPORT_STAMP)
	$(BIN)/sna report --all

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 --dist worksteal

# JupyterLab for analysts (the `lab` extra), opened on notebooks/.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab notebooks

# ruff, nbstripout (cell ids kept), a secrets scan and file hygiene: .pre-commit-config.yaml
# (every hook is `repo: local`, calling the executables installed in .venv; nothing is fetched).
lint: $(TEST_STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

clean-reports:
	rm -rf reports

# Neural Network Basics: `make lab` to study, `make check` for the fast tests, `make test` for all.
# Each target does its own set-up: a virtual env in .venv with requirements.txt installed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
# nbgrader starts console scripts (alembic) by name, so the env's bin/ must be on PATH
export PATH := $(BIN):$(PATH)

.PHONY: setup check test lab release grade report demo samples bench-grading bench

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

# On TEST_WORKERS pytest-xdist workers; the tests that share an expensive fixture (the graded sample
# class, the browser's JupyterLab) stay on one worker (tests/conftest.py). TEST_WORKERS=1: one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The fast tier (minutes): no browser, no database, one real grading of a few submissions.
check: setup
	$(PYTEST) -m "not slow"

# Everything (what CI runs); the slowest tests are listed at the end, then the wall time against
# the budget (docs/testing.md).
test: setup
	@start=$$(date +%s); $(PYTEST) --durations=15; status=$$?; \
	echo "make test took $$(( $$(date +%s) - start )) s; the budget is 900 s on 2 cores (docs/testing.md)"; \
	exit $$status

# A self-learner's own copy of release/ lives in workspace/ (git-ignored): notebooks already there
# are never overwritten, so `git pull` and `make lab` can't touch your answers.
# `make lab COURSE_LANG=ko`: the Korean edition (ko/release/), in a workspace of its own, workspace-ko/.
# (Not LANG: that is the system locale, which make hands on to Jupyter and the kernels.)
COURSE_LANG ?= en
EDITIONS    := en ko
ifeq ($(filter $(COURSE_LANG),$(EDITIONS)),)
$(error COURSE_LANG=$(COURSE_LANG) is not an edition of this course: use one of $(EDITIONS))
endif
LAB_RELEASE   := $(if $(filter ko,$(COURSE_LANG)),ko/release,release)
LAB_WORKSPACE := $(if $(filter ko,$(COURSE_LANG)),workspace-ko,workspace)

lab: setup
	$(BIN)/python scripts/workspace.py $(LAB_RELEASE) $(LAB_WORKSPACE)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_WORKSPACE) $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Regenerate release/ from source/ (maintainers, after editing a source notebook), and the Korean
# edition: translations/ko/*.po brought up to date with source/, ko/source/ built from them, and
# ko/release/ generated from it. Uses a throw-away gradebook so an instructor's gradebook.db is
# never touched.
release: setup
	$(BIN)/python scripts/translations.py update
	$(BIN)/python scripts/translations.py build
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for dir in source/*/; do \
	  for edition in . ko; do \
	    $(BIN)/nbgrader generate_assignment "$$(basename $$dir)" --force \
	      --CourseDirectory.source_directory=$$edition/source --CourseDirectory.release_directory=$$edition/release \
	      --CourseDirectory.db_url="sqlite:///$$tmp/gradebook.db" --log-level=WARN || exit 1; \
	  done; \
	done

# Instructors: autograde everything in submitted/, write feedback/ and grades.csv; then the report.
grade: setup
	$(BIN)/python -m grader grade

report: setup
	$(BIN)/python -m grader report

# The whole cycle on the sample class (tests/samples/): copies it into submitted/, grades, reports.
demo: setup
	$(BIN)/python -m grader demo

# Rebuild the sample class from release/ and tests/submissions/ (after `make release`).
samples: setup
	$(BIN)/python tests/samples.py

# Serial `nbgrader autograde` against the parallel command on 20 sample submissions (bench/README.md).
bench-grading: setup
	$(BIN)/python bench/autograde.py

# Speed figures (never pass/fail): notebook run time per source notebook, kernel start, and the
# redraw latency of every demo; writes bench/results.json and the table in bench/README.md.
bench: setup
	$(BIN)/python bench/run.py

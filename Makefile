# Replication of Melnick (2025). `make all` builds everything, `make test` tests it.
# `make help` lists the targets. Every rule declares its real inputs, so a second
# `make all` does nothing and touching one input reruns only the groups of steps that read it
# (and what depends on their outputs).

# GNU Make >= 4.3 is required (grouped targets `&:`, $(file <)); stop at once on an older one.
ifeq ($(filter grouped-target,$(.FEATURES)),)
  $(error This Makefile needs GNU Make 4.3 or newer (for grouped targets `&:`), but this is Make \
    $(MAKE_VERSION). On macOS, which ships Make 3.81: `brew install make`, then run `gmake all`)
endif
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
MAKEFLAGS += --no-builtin-rules --no-print-directory
# All cores by default (`make -j1` still runs one group of steps at a time); each recipe's output
# (a group's steps, the fetch, the render) is printed in one piece when it ends, so parallel
# recipes do not interleave their lines.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
  MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1) --output-sync=target
endif
# No .DELETE_ON_ERROR: every step writes to a temporary file and renames it, so a failed
# step leaves the previous good output in place.

# --- Python environment --------------------------------------------------------------
# Default: a private virtual environment in .venv built from the hash-pinned lock file,
# with uv when it can be had (on PATH, or installed once from PyPI at a pinned version and
# hash into .make/bootstrap/) and with pip otherwise; `make env INSTALLER=pip` forces pip.
# .venv/.installed is written last, so a .venv without it was interrupted while being
# built: it is removed and built again, never patched. It holds the folder .venv was built for:
# .venv's scripts name that folder's interpreter and its editable install that folder's src/, so
# in a project copied (`cp -a`) or moved (`mv`) elsewhere they would run the original's code;
# there .venv is removed and built again, and make says why. One set-up runs at a time (flock, where
# there is one): a second `make` waits for it, even for one whose make was killed. Packages are
# compiled to bytecode when installed (pip does so by default; uv with --compile-bytecode, with
# timestamps rather than the source hashes SOURCE_DATE_EPOCH would ask for), so no step compiles
# them again when PYTHONDONTWRITEBYTECODE is set; COMPILE_BYTECODE=0 skips that (the tests' scratch
# set-ups, which run no step).
# Inside an activated conda environment (environment.yml) use `make all PYTHON=python`:
# the given interpreter is then used as it is and no .venv is created.
PYTHON ?= python3
INSTALLER ?= auto
COMPILE_BYTECODE ?= 1
UV_VERSION := 0.13.8
UV_BOOTSTRAP := .make/bootstrap/uv-$(UV_VERSION)
# The interpreter as one shell word, so a path with spaces works in every recipe.
PYTHON_Q := '$(subst ','\'',$(PYTHON))'
ifeq ($(origin PYTHON),command line)
  PY  := $(PYTHON_Q)
  ENV := .make/external-env.stamp
else
  PY  := .venv/bin/python
  ENV := .venv/.installed
endif
export PYTHONPATH := $(CURDIR)/src
export PYTHONHASHSEED := 0
export PYTHONUTF8 := 1
export SOURCE_DATE_EPOCH := 0
export MPLBACKEND := Agg
# One thread per process for the linear algebra: make already runs one group of steps per core, and the
# count models' matrices are small, so BLAS threads only wait for each other (a least-squares solve of
# 8,000 x 9 took 9 ms with OpenBLAS's threads on a busy 2-core machine, 1 ms with one). The results
# are also the same bytes whatever the machine's number of cores.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
BACKLASH := $(PY) -m backlash.cli
# Each step prints one line: what it built and how long it took (`python py/<script>.py` runs one alone).

LIB := src/backlash

# Prints a line every 5 s while a long install runs; stopped when the recipe's shell exits
# (sleep's output goes elsewhere, so make's output closes as soon as the recipe ends).
# (It does not hold the set-up's lock, fd 9, so the lock is free as soon as the set-up ends.)
HEARTBEAT = { while sleep 5 >/dev/null 2>&1 </dev/null && kill -0 $$$$ 2>/dev/null; do \
  echo "  ... still installing ($$((SECONDS - t0)) s)"; done 9>&- & }; trap "kill $$! 2>/dev/null || true" EXIT

VENV_FOLDER := $(if $(wildcard .venv/.installed),$(file < .venv/.installed))
ifneq ($(wildcard .venv/.installed),)
ifneq ($(VENV_FOLDER),$(CURDIR))
  VENV_ELSEWHERE := venv-elsewhere
endif
endif
.PHONY: venv-elsewhere
venv-elsewhere: ;

.venv/.installed: requirements.lock requirements-uv.lock pyproject.toml $(VENV_ELSEWHERE)
	@t0=$$SECONDS; here=$(call shquote,$(CURDIR)); mkdir -p .make; \
	if command -v flock >/dev/null 2>&1; then exec 9>.make/venv.lock; \
	  flock -n 9 || { echo "another set-up of .venv is running in this project; waiting for it to finish"; flock 9; }; \
	  if [ -f $@ ] && [ "$$(cat $@)" = "$$here" ] && [ -z "$$(find requirements.lock requirements-uv.lock pyproject.toml -newer $@)" ]; then \
	    echo ".venv is ready (built by the other set-up)"; exit 0; fi; \
	fi; \
	$(HEARTBEAT); \
	if [ -f $@ ] && [ "$$(cat $@)" != "$$here" ]; then \
	  echo "removing .venv: it was built for $$( [ -s $@ ] && cat $@ || echo 'an unrecorded folder')," \
	    "not for $$here (the project was copied or moved); building it again"; rm -rf .venv; \
	elif [ ! -f $@ ] && [ -e .venv ]; then echo "removing .venv: an earlier set-up did not finish"; rm -rf .venv; fi; \
	uv=; \
	if [ "$(INSTALLER)" != pip ]; then \
	  uv=$$(command -v uv || true); \
	  if [ -z "$$uv" ] && [ ! -x $(UV_BOOTSTRAP)/bin/uv ]; then \
	    echo "installing uv $(UV_VERSION) into $(UV_BOOTSTRAP) (pinned in requirements-uv.lock)"; \
	    rm -rf $(UV_BOOTSTRAP).part; \
	    PIP_ROOT_USER_ACTION=ignore $(PYTHON_Q) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
	      --only-binary :all: --target $(UV_BOOTSTRAP).part -r requirements-uv.lock \
	      && mv $(UV_BOOTSTRAP).part $(UV_BOOTSTRAP) || rm -rf $(UV_BOOTSTRAP).part; \
	  fi; \
	  if [ -z "$$uv" ] && [ -x $(UV_BOOTSTRAP)/bin/uv ]; then uv=$(UV_BOOTSTRAP)/bin/uv; fi; \
	  if [ -z "$$uv" ]; then \
	    test "$(INSTALLER)" != uv || { echo "INSTALLER=uv, but uv could not be installed" >&2; exit 1; }; \
	    echo "uv is not available here: installing with pip (slower)"; \
	  fi; \
	fi; \
	if [ -n "$$uv" ]; then \
	  echo "installing requirements.lock into .venv with $$("$$uv" --version)"; \
	  test -x .venv/bin/python || "$$uv" venv --quiet --python $(PYTHON_Q) .venv; \
	  env -u SOURCE_DATE_EPOCH "$$uv" pip install $(if $(filter 1,$(COMPILE_BYTECODE)),--compile-bytecode) \
	    --python .venv/bin/python --require-hashes -r requirements.lock; \
	  "$$uv" pip install --quiet --python .venv/bin/python --no-deps --no-build-isolation -e .; \
	else \
	  echo "installing requirements.lock into .venv with pip"; \
	  .venv/bin/python -m pip --version >/dev/null 2>&1 || { rm -rf .venv; $(PYTHON_Q) -m venv .venv; }; \
	  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off --require-hashes \
	    $(if $(filter 1,$(COMPILE_BYTECODE)),,--no-compile) -r requirements.lock | sed -u -n -E '/^(Collecting|Installing|Successfully)/p'; \
	  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .; \
	fi; \
	.venv/bin/python -c "import numpy, scipy, pandas, matplotlib, statsmodels, pyreadr, backlash"; \
	printf '%s\n' "$$here" > $@; echo "built .venv from requirements.lock ($$((SECONDS - t0)) s)"

.make/external-env.stamp: requirements.lock pyproject.toml
	@mkdir -p .make; $(PY) -c "import numpy, scipy, pandas, matplotlib, statsmodels, pyreadr" \
	  || { echo "The interpreter $(PY) lacks the pinned packages: create the environment from environment.yml first." >&2; exit 1; }; \
	touch $@; echo "checked the packages of $(PY)"

# --- The analysis choices ------------------------------------------------------------------
# `make all WITHDRAWAL_RULE=strict DEMOCRACY=vdem DEMOCRACY_THRESHOLD=0.6` (rules: backlash.withdrawal.RULES;
# measures: backlash.democracy.MEASURES; an empty cut-off is the measure's default) records the choices
# in .make/choices.toml through backlash.choices, which checks every value before any work starts
# (standard library only, no .venv needed) and stops make with one line when one is refused. A later
# `make all` without them uses the record. The record is rewritten only when a value changes and only
# by a run that builds (never by `make -n`, `-q`, `-t`, `help`, `clean` or `lock`, which keep it), so a
# change reruns exactly the steps that declare it among their reads. A choice is added in
# backlash.choices, never here.
NON_BUILD_GOALS := help clean lock
BUILD_GOALS := $(if $(MAKECMDGOALS),$(filter-out $(NON_BUILD_GOALS),$(MAKECMDGOALS)),all)
SHORT_FLAGS := $(filter-out -%,$(firstword $(MAKEFLAGS)))
NO_RECORD := $(findstring n,$(SHORT_FLAGS))$(findstring q,$(SHORT_FLAGS))$(findstring t,$(SHORT_FLAGS))
shquote = '$(subst ','\'',$(1))'
CHOICES := .make/choices.toml
# Every variable set on make's command line, as NAME=value shell words (backlash.choices keeps its own).
COMMAND_LINE := $(strip $(foreach v,$(sort $(.VARIABLES)),$(if $(filter command line,$(origin $v)),$(call shquote,$v=$(value $v)))))
RECORD_CHOICES = PYTHONPATH=src BACKLASH_ROOT=$(call shquote,$(CURDIR)) $(PYTHON_Q) -m backlash.choices make
ifneq ($(BUILD_GOALS),)
  CHOICES_MESSAGE := $(shell $(RECORD_CHOICES) $(if $(NO_RECORD),--dry-run) $(COMMAND_LINE) 2>&1)
  ifneq ($(.SHELLSTATUS),0)
    $(error $(or $(CHOICES_MESSAGE),could not check the analysis choices with $(PYTHON)))
  endif
  $(if $(CHOICES_MESSAGE),$(info $(CHOICES_MESSAGE)))
endif
# Runs only in a dry run (-n, -q, -t) with a new value: the record and what reads it are then shown as
# out of date, and nothing is written.
.PHONY: choices-changed
choices-changed: ;
$(CHOICES): $(if $(findstring would record,$(CHOICES_MESSAGE)),choices-changed)
	@$(RECORD_CHOICES) $(COMMAND_LINE)

# --- The source's state: the report's provenance -------------------------------------------
# The report names the git commit it was built from, marked "with uncommitted changes" when tracked files
# differ from it (BACKLASH_SOURCE_COMMIT overrides it, for a build from an archive without git; its value is
# taken as written, `$` included). That is an input of the report like any other: make records it in
# .make/source-state, rewritten only when it changes and only by a run that builds, and the step that writes
# the report's variables declares it. So a commit (or a first edit of a tracked file) re-renders the
# report's provenance and nothing else at the next `make all`, and a second `make all` does nothing. In a
# dry run (-n, -q, -t) a changed state shows the report as out of date. The commit is this folder's own: a
# project unpacked inside another repository (whose commit is not its source) is not a git checkout, and
# the state says so. A state that cannot be recorded (.make not writable) stops make, as a stale one would
# name the wrong source.
SOURCE_STATE := .make/source-state
define newline


endef
ifneq ($(BUILD_GOALS),)
  ifneq ($(findstring $(newline),$(value BACKLASH_SOURCE_COMMIT)),)
    $(error BACKLASH_SOURCE_COMMIT holds a line break; give the source (a commit, a DOI) on one line)
  endif
  # (GIT_OPTIONAL_LOCKS=0: git status takes no lock on the index, so two makes at once cannot trip each other.)
  SOURCE_STATE_NOW := $(or $(value BACKLASH_SOURCE_COMMIT),$(shell \
    if ! command -v git >/dev/null 2>&1; then echo "unknown (git is not installed)"; \
    elif ! top=$$(git rev-parse --show-toplevel 2>/dev/null); then \
      echo "unknown (not a git checkout, or one that git cannot read)"; \
    elif [ "$$top" != "$$(pwd -P)" ]; then echo "unknown (not a git checkout: the folder lies inside another repository)"; \
    elif ! commit=$$(git rev-parse --short=12 HEAD 2>/dev/null); then echo "unknown (a repository without a commit)"; \
    elif changes=$$(GIT_OPTIONAL_LOCKS=0 git status --porcelain --untracked-files=no 2>/dev/null); then \
      if [ -z "$$changes" ]; then echo "$$commit"; else echo "$$commit with uncommitted changes"; fi; \
    else echo "$$commit (git could not tell whether tracked files had changed)"; fi))
  ifneq ($(SOURCE_STATE_NOW),$(shell cat $(SOURCE_STATE) 2>/dev/null))
    ifeq ($(NO_RECORD),)
      SOURCE_STATE_ERROR := $(shell { mkdir -p .make && printf '%s\n' $(call shquote,$(SOURCE_STATE_NOW)) \
        > $(SOURCE_STATE).$$$$.tmp && mv -f $(SOURCE_STATE).$$$$.tmp $(SOURCE_STATE); } 2>&1)
      ifneq ($(.SHELLSTATUS),0)
        $(error cannot record the source's state in $(SOURCE_STATE) ($(SOURCE_STATE_ERROR)); make .make writable, or build in a writable copy)
      endif
    else
      SOURCE_STATE_CHANGED := source-state-changed
    endif
  endif
endif
.PHONY: source-state-changed
source-state-changed: ;
$(SOURCE_STATE): $(SOURCE_STATE_CHANGED)
	@mkdir -p .make && printf '%s\n' $(call shquote,$(or $(SOURCE_STATE_NOW),unknown)) > $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

# --- The steps: model, panels, Figure 1, count model, verdicts, report inputs ---------------
# Each script in py/ declares what it reads and writes in one place, `STEP = Step(...)` at its
# top (backlash.declaration). Their rules are generated into py/steps.mk, which make rewrites
# before it reads it whenever the declarations, the scripts' imports or data/sources.toml change;
# add a step by adding a script, never by editing rules here. `python -m backlash.pipeline list`.
# A group's steps run in one process (the packages are imported once, each step runs in a
# forked child), make runs groups in parallel, and a changed input reruns its whole group.
STEP_RULES := py/steps.mk
RAW_STAMP := data/raw/.verified
ifneq ($(BUILD_GOALS),)
ifneq ($(wildcard py/*.py),)
  # Rewrites py/steps.mk and the README's table of exhibits if they no longer match the scripts (a dry
  # run only checks py/steps.mk); a copy without the scripts (e.g. to set up .venv only) has no steps.
  STEPS_MESSAGE := $(shell PYTHONPATH=src BACKLASH_ROOT=$(call shquote,$(CURDIR)) $(PYTHON_Q) -m backlash.pipeline mk \
    $(if $(NO_RECORD),--check) 2>&1)
  ifneq ($(.SHELLSTATUS),0)
    $(error $(STEPS_MESSAGE))
  endif
  $(if $(STEPS_MESSAGE),$(info $(STEPS_MESSAGE)))
endif
endif
-include $(STEP_RULES)

# --- Raw data: fetched, pinned by sha256, verified -------------------------------------
# RAW_FILES, the inputs pinned in data/sources.toml, is written into py/steps.mk from the manifest.

# One run of `backlash fetch` obtains the missing files and verifies all of them; it runs
# again whenever a raw file or the manifest changes, and a changed byte stops the build here.
# A raw file's own rule does nothing (`make data/raw/<file>` does not fetch; `make fetch` does):
# a missing one only makes the stamp out of date.
ifneq ($(RAW_FILES),)
$(RAW_FILES): ;
endif
$(RAW_STAMP): data/sources.toml $(RAW_FILES) | $(ENV)
	@mkdir -p data/raw && $(BACKLASH) fetch && touch $@

# `make empirics`: every step output but the model's and the report's.
EMPIRICS_OUT := $(filter-out $(MODEL_OUT) $(REPORT_OUT),$(STEP_OUTPUTS))

# --- The paper (issue: Quarto report, PDF + self-contained HTML) --------------------------
# The Quarto project is the repository root (_quarto.yml); the paper's options are in
# paper/_metadata.yml and its variables in _variables.yml beside _quarto.yml.
# The report's inputs are the outputs of the steps (their rules are in py/steps.mk): the PDF takes
# the vector figures, the HTML the PNGs; the renderer inlines the explorer's JS and CSS into paper.html.
PAPER_GEN := $(filter _variables.yml paper/generated/%,$(STEP_OUTPUTS))
EXPLORER_FILES := paper/explorer/explorer.js paper/explorer/explorer.css
paper/paper.pdf paper/paper.html &: paper/paper.qmd _quarto.yml paper/_metadata.yml paper/references.bib \
    paper/style.css paper/unbroken.lua $(PAPER_GEN) $(FIGURE_FILES) $(EXPLORER_FILES) $(LIB)/render.py \
    $(LIB)/crossref.lua | $(ENV)
	@$(BACKLASH) paper

# --- Targets ---------------------------------------------------------------------------
.PHONY: all env fetch model empirics dictionary figures paper readme test test-scratch check bench lock clean help

all: env fetch empirics model dictionary paper ## build everything: environment, raw data, panels, figures, tables, paper

env: $(ENV) ## create .venv and install the pinned packages (requirements.lock)

fetch: $(RAW_STAMP) ## obtain the raw inputs (mirror first, then the pinned URLs) and verify their sha256

model: $(MODEL_OUT) ## the model's exhibits: Figures 2 and 3, phase diagram, reputational cost, Prop. 3 and H-exit tables, explorer presets, numbers

empirics: $(EMPIRICS_OUT) ## the data: panels, withdrawals, Figure 1 and its variants, count models, verdicts, validation, numbers

dictionary: data/derived/README.md ## the data dictionary of data/derived/ (README.md there), checked against the files

figures: $(FIGURE_FILES) ## every figure of the report, as PNG and vector PDF

paper: paper/paper.pdf paper/paper.html ## render the replication report (Quarto if installed, else pandoc + typst)

readme: all ## rewrite README.md's verdict blocks from the outputs (after a change that moves a verdict)
	@$(BACKLASH) readme

# Two sets of tests. `make test` checks the library, the model's claims, this build's outputs and its report
# (rendered again in a copy), the runner and the CLI; its time on 2 cores is in the README (`make bench`).
# `make test-scratch` runs the tests marked `scratch` (pyproject.toml): each builds, installs or runs steps in
# a copy of the project (the extension rebuild with its interruptions, the set-up, the recorded choices,
# steps run alone). tests/_scratch.py refuses such a build in a test without the mark, so none slips into
# `make test`. `make check` runs both sets in one pytest run; CI runs `make test`, then `make test-scratch`.
# Test files run in parallel (pytest-xdist, one file per worker, so a module's shared scratch
# build is made once) when xdist is installed; `make test TEST_JOBS=0` runs them in one process.
# xdist hands out the files with the most tests first (its default).
# pytest loads its plugins by name (hypothesis's, and xdist's when used) instead of from every installed
# package's entry points: a plugin found that way has every module of its package assert-rewritten by
# pytest as it is imported, which, with no bytecode cache (PYTHONDONTWRITEBYTECODE), recompiled about
# 70 modules of hypothesis in each pytest process (the controller and each worker) and slowed
# hypothesis's own code with rewritten asserts (measured: collection with two workers 3.5 -> 3.0 s of
# CPU, tests/test_model.py alone 6.8 -> 6.4 s).
# pytest runs with Python's bytecode cache on even where PYTHONDONTWRITEBYTECODE is set (as on some
# CI machines): the tests start the CLI and the steps in many interpreters, and each would otherwise
# compile src/backlash again, and pytest would rewrite each test file's asserts again on every run. The
# cache goes in __pycache__/ and .pytest_cache/ beside the code, which git ignores (measured from an empty
# cache, on 2 cores: 46 s of CPU for `make test` against 51 s without it).
TEST_JOBS ?= auto
PYTEST = if [ "$(TEST_JOBS)" != 0 ] && $(PY) -c "import xdist" 2>/dev/null; then \
	  jobs="-p xdist.plugin -p xdist.looponfail -n $(TEST_JOBS) --dist loadfile"; else jobs=; fi; \
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q --durations=8 --disable-plugin-autoload -p _hypothesis_pytestplugin $$jobs
test: all ## run the tests of the library, the model, this build's outputs and its report (lists the slowest)
	@$(PYTEST) -m "not scratch"

test-scratch: all ## run the tests that build in copies of the project (extension, interruptions, set-up)
	@$(PYTEST) -m scratch

check: all ## run every test (make test and make test-scratch) in one run
	@$(PYTEST)

bench: all ## time the pipeline (each step, against the same steps in memory), make test and make test-scratch, the solver, set-up with uv vs pip (minutes); writes the README's times
	@$(PY) bench/bench.py
	@$(PY) bench/setup_bench.py
	@$(PY) bench/results.py

lock: ## regenerate requirements.lock from pyproject.toml (needs network to PyPI)
	$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip >/dev/null
	$(PY) -m pip install --quiet pip-tools
	$(PY) -m piptools compile --quiet --extra paper --extra test --allow-unsafe --generate-hashes \
	  --strip-extras --all-build-deps --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock pyproject.toml

# Also removes what an interrupted step may have left: temporary files (dot files) beside
# the outputs, half-downloaded raw files (*.part) and the renderer's scratch folders.
clean: ## remove everything the build wrote (keeps .venv, data/raw and the recorded choices, .make/choices.toml)
	rm -rf data/derived/* figures/*.pdf figures/*.png paper/generated _variables.yml \
	  paper/paper.pdf paper/paper.html paper/.render-* paper/.paper.* .make/*.stamp data/cache
	$(if $(wildcard data/derived figures),find $(wildcard data/derived figures) -name '.*' -type f ! -name .gitkeep -delete)
	$(if $(wildcard data/raw),find data/raw -name '.*.part' -type f -delete)
	mkdir -p data/derived && touch data/derived/.gitkeep

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 22

# Every step writes its outputs atomically, so an interrupted run (Ctrl-C, SIGTERM) must not
# make `make` delete outputs a step finished: they are all precious. A test checks the list.
.PRECIOUS: $(RAW_FILES) $(RAW_STAMP) $(STEP_RULES) $(STEP_OUTPUTS) paper/paper.pdf paper/paper.html

# The project's commands. `make book` is the main one, `make test` runs the tests.
# Both start from nothing: they create .venv, install the project and get the data.

# The Python the lock is for (3.11): python3.11 where there is one, else python3 (checked).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NOTEBOOKS := 01_data 02_method 03_experiment 04_report 05_noise 06_test_set 07_filters_padding 08_sweep 09_better_cnn 10_frontier 11_speed 12_execution
BUILD := build
# The book's source folder (see _config.yml) and, inside it, the notebooks papermill executes.
BOOK_SOURCE := book
EXECUTED := $(BOOK_SOURCE)/notebooks
# Extra papermill parameters, each given to the notebooks that declare it, e.g. PARAMS="-p epochs 2 -p folds 3 -p subset 5000".
PARAMS ?=
# Debian packages the project uses: the data, and Chromium for the browser test.
DEBIAN_PACKAGES := dataset-fashion-mnist chromium

.PHONY: lab help install check-python lock test-latest system-packages data reproduce sweep ablation ladder recompute-better-cnn frontier recompute-frontier seeds records check-records test test-slow test-pipeline test-all notebooks check-notebooks book pdf clean

help:
	@echo "make book        build the book at the paper's settings into _build/html (main command)"
	@echo "make test        run the fast tests: unit tests and small integration tests on tiny data (minutes)"
	@echo "make test-all    the fast tests, the slow ones (real data, a Dask cluster), one seed each of the better"
	@echo "                 CNN and the 10-minute frontier model retrained (on the kind that recorded each), the book at the"
	@echo "                 paper's settings and its checks: what CI runs"
	@echo "                 (three quarters of an hour or more, depending on the machine)"
	@echo "make test-pipeline  the whole pipeline on a tiny run, built into a book a browser reads"
	@echo "make reproduce   run the cross-validation and print Table I beside the paper's"
	@echo "make data        verify (or fetch) Fashion-MNIST"
	@echo "make ladder      the better CNN's second walk (fold 1, two seeds a step), then its test score at three seeds (about 80 minutes)"
	@echo "make frontier    the budget frontier: the 10-minute candidates on fold 1, then each budget's model on the official test set at its seeds, what is not yet recorded (up to 6 hours)"
	@echo "make records     run the Future Work sweep, the better CNN's two walks and the noise study's seeds; record them in records/ (hours)"
	@echo "make check-records  compare the records with the runs this checkout recomputed (after make book)"
	@echo "make notebooks   execute the notebooks with papermill into $(EXECUTED)"
	@echo "make pdf         the book as one PDF for reading offline, in _build/pdf (builds the book first)"
	@echo "make lab         open the notebooks in JupyterLab (the .py pairs open as notebooks too)"
	@echo "make install     create .venv and install exactly the locked versions (requirements.txt)"
	@echo "make lock        remake the lock from pyproject.toml with the newest releases it allows"
	@echo "make test-latest the fast tests on the newest releases, in .venv-latest: what the next lock would change"

# The lock (`make lock` writes it from pyproject.toml with uv): every package with its hashes,
# for Python 3.11 on Linux x86-64. Keras 2 (tf-keras, for the noise study's keras2-fit arm) is
# locked apart and installed without its dependencies: it asks for the full `tensorflow`
# package, which would land beside tensorflow-cpu. The project itself is installed last,
# editable and without dependencies or build isolation, so nothing unlocked comes in.
LOCK := requirements.txt
KERAS2_LOCK := requirements-keras2.txt
LOCKED_PYTHON := 3.11
# The uv that `make lock` resolves with.
UV_VERSION := 0.13.9
# `make test-latest` installs the newest releases here, apart from .venv.
LATEST := .venv-latest

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(LOCKED_PYTHON)".split("."))))' 2>/dev/null || { \
		echo "make: the lock is for Python $(LOCKED_PYTHON), but $(PYTHON) is $$($(PYTHON) -V 2>&1 || echo missing)." >&2; \
		echo "      Install Python $(LOCKED_PYTHON) and run again with PYTHON=python$(LOCKED_PYTHON)." >&2; exit 1; }

$(INSTALLED): pyproject.toml $(LOCK) $(KERAS2_LOCK)
	@$(MAKE) --no-print-directory check-python
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(KERAS2_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(INSTALLED)

# Remake the lock from pyproject.toml, taking the newest releases it allows; review the diff,
# run `make test-latest` first to see what they change.
lock: install
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/python scripts/lock.py --uv $(BIN)/uv

# The newest releases that pyproject.toml allows, in $(LATEST) apart from .venv: what the next
# lock would change, and whether the fast tier still passes with it.
test-latest: data
	@$(MAKE) --no-print-directory check-python
	$(PYTHON) -m venv --clear $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet -e ".[$$($(PYTHON) scripts/lock.py --extras)]"
	$(LATEST)/bin/python -m pip install --quiet --no-deps "$$($(LATEST)/bin/python scripts/lock.py --keras2-requirement)"
	$(LATEST)/bin/python scripts/lock.py --diff
	FMNIST_TEST_LATEST=1 $(LATEST)/bin/pytest -m "not slow"

# Installs the Debian packages that are missing, where this is a Debian machine and we are root.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Not installed (install them yourself if you need them): $$missing"; \
	fi

data: install system-packages
	$(BIN)/fmnist data

reproduce: data
	$(BIN)/fmnist cv

# The long runs that the book reads from records/ unless a build computed them.
# The sweep at seed 0, then its decisive comparison (padding at 64 filters) at three more seeds.
sweep: data
	$(BIN)/fmnist sweep --record
	$(BIN)/fmnist seeds --filters 64 --padding valid --seeds 1-3 --record --skip-recorded
	$(BIN)/fmnist seeds --filters 64 --padding same --seeds 1-3 --record --skip-recorded

# The first walk on fold 1 (reading back recorded steps), its kept steps at seeds 1 and 2, then its
# CNN's official-test runs at seeds 0-2, trained as the better CNN is (both cores, oneDNN).
ablation: data
	$(BIN)/fmnist ablation --record

# The better CNN's second walk (fold 1, two seeds a step), its longer training with augmentation
# (beyond the budget: better_cnn.LONGER_EPOCHS epochs), then its official-test runs at three seeds.
ladder: data
	$(BIN)/fmnist ladder --record --longer-epochs 30

# The better CNN's seed-0 official-test run retrained from nothing (its walk read from
# records/), for the book to show and `check-records` to compare with its record. Only on the
# processor kind that recorded it, where the two must agree to the last digits; another kind
# reads the record (retraining there would be another draw, and 2 to 4 times slower on the
# Intel Xeon CI may run on). `fmnist ladder --final-seeds 0` retrains it on any machine.
recompute-better-cnn: data
	$(BIN)/fmnist ladder --final-seeds 0 --only-on-recorded-kind

# The budget frontier: the 10-minute budget's candidates screened on fold 1 at two seeds
# (fmnist.experiments.screening), then each budget's model (fmnist.experiments.frontier)
# trained on all 60,000 images at its seeds and scored on the official test set, each run
# recorded as it ends; runs already recorded are read back or left out, so a frontier
# stopped part-way goes on where it stopped.
frontier: data
	$(BIN)/fmnist frontier --screen --record
	$(BIN)/fmnist frontier --record --skip-recorded

# The 10-minute model's seed-0 run retrained from nothing, on the processor kind that recorded
# it only (elsewhere it is read from its record); check-records then compares the two.
recompute-frontier: data
	$(BIN)/fmnist frontier --budgets 10 --seeds 0 --only-on-recorded-kind

# The noise study: Table I at 10 seeds with the project's loop, 5 with Keras 2's and Keras 3's model.fit.
# Seeds already recorded are left out, so a study stopped part-way goes on where it stopped.
seeds: data
	$(BIN)/fmnist seeds --seeds 0-9 --record --skip-recorded
	$(BIN)/fmnist seeds --seeds 0-4 --trainer keras2-fit --record --skip-recorded
	$(BIN)/fmnist seeds --seeds 0-4 --trainer keras3-fit --record --skip-recorded

records: sweep ablation ladder frontier seeds
	$(BIN)/fmnist test --record

check-records: install
	$(BIN)/fmnist check-records

# The fast tier: no test here trains on the real data or builds a book.
test: data
	$(BIN)/pytest -m "not slow"

# The slow tier: the tests that train on the real data or start a Dask cluster.
test-slow: data
	$(BIN)/pytest -m "slow and not pipeline"

# The whole pipeline on a tiny run (every notebook computing what it lacks), built into a book
# and read by a browser: 7 to 10 minutes. CI leaves it out and builds the real book instead.
test-pipeline: data
	$(BIN)/pytest -m pipeline

# Everything CI runs: both tiers, one seed each of the better CNN and the 10-minute frontier
# model retrained, the book at the paper's settings (each notebook executed at its defaults),
# the agreement with the paper, the recomputed runs against their records, one value for every
# quantity shown on several pages, and the built site in a browser.
test-all: test test-slow recompute-better-cnn recompute-frontier book
	$(BIN)/fmnist table --require-agreement
	$(BIN)/fmnist check-records
	$(BIN)/python scripts/check_pages.py $(EXECUTED)
	$(BIN)/python scripts/check_site.py _build/html $(BUILD)/screenshots/experiment.png

check-notebooks: install
	$(BIN)/python scripts/check_notebooks.py

# Each notebook is given the PARAMS it declares; a parameter no notebook declares is an error.
notebooks: data check-notebooks
	$(BIN)/python scripts/execute_notebooks.py $(EXECUTED) $(NOTEBOOKS) $(PARAMS)

# JupyterLab on notebooks/, from .venv; it prints the address to open (with its token).
lab: data
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks

book: notebooks
	rm -rf _build/html
	$(BIN)/jupyter-book build $(BOOK_SOURCE) --config $(CURDIR)/_config.yml --toc $(CURDIR)/_toc.yml --path-output . -W -n --keep-going
	@echo "The book is in _build/html/index.html"

# The whole book as one PDF for reading offline: headless Chromium prints its pages in the
# table of contents' order. Not part of CI.
pdf: book
	$(BIN)/python scripts/make_pdf.py _build/html _build/pdf/fmnist-book.pdf

clean:
	rm -rf _build $(BUILD) $(EXECUTED) $(LATEST)

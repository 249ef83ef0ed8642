# brainbatch — every command a newcomer needs. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BB     := $(VENV)/bin/brainbatch
STAMP  := $(VENV)/.installed
export MPLBACKEND := Agg

.PHONY: setup test test-fast lint demo bench reproduce reproduce-coba reproduce-cuba reproduce-poisson_lif reproduce-brunel \
	reproduce-microcircuit reproduce-coba-sampled reproduce-stdp reproduce-stp clean help

help:
	@echo "make setup      create .venv and install brainbatch with its dev extras"
	@echo "make demo       sweep experiments/coba.py over 4 seeds x 2 values of we (1 s), show and plot"
	@echo "make test       run the test suite (docstring examples included)"
	@echo "make test-fast  the test suite without the tests marked slow"
	@echo "make lint       ruff and mypy (configured in pyproject.toml)"
	@echo "make bench      benchmark against BrainPy and Brian2 (own environment) -> bench/results.md"
	@echo "make reproduce  every experiment at its documented size, figures in results/"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e ".[dev]"
	$(PY) -m brainbatch.kernels
	touch $(STAMP)

setup: $(STAMP)

# two pytest-xdist workers (the CI machine has 2 cores); a test file stays on one worker, so its
# module-scoped fixtures (shared compiled programs) are built once (docs/CONTRACTS.md, "tests")
TEST_ARGS := -q -p no:cacheprovider -n 2 --dist loadfile
# Python's own bytecode cache even where the environment turns it off (PYTHONDONTWRITEBYTECODE=1):
# the tests start dozens of Python processes (CLI commands, dask workers), and each would compile every
# module of brainbatch from source again (~0.7 s CPU each); pytest's rewritten test modules too.
NO_BYTECODE_OFF := PYTHONDONTWRITEBYTECODE=

test: $(STAMP)
	$(NO_BYTECODE_OFF) $(PY) -m pytest $(TEST_ARGS)

test-fast: $(STAMP)
	$(NO_BYTECODE_OFF) $(PY) -m pytest $(TEST_ARGS) -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

demo: $(STAMP)
	$(BB) sweep experiments/coba.py --seeds 4 -p we=0.4,0.6 --duration 1000 --out results/coba/demo.zarr
	$(BB) show results/coba/demo.zarr --experiment experiments/coba.py
	$(BB) plot results/coba/demo.zarr --seed 0 -p we=0.6 --out results/coba
	@echo "figures in results/coba/"

reproduce: reproduce-coba reproduce-cuba reproduce-poisson_lif reproduce-brunel reproduce-microcircuit \
	reproduce-coba-sampled reproduce-stdp reproduce-stp

reproduce-coba: $(STAMP)
	$(BB) sweep experiments/coba.py --seeds 8 --out results/coba/reproduce.zarr
	$(PY) experiments/figures.py coba results/coba/reproduce.zarr results/coba

reproduce-cuba: $(STAMP)
	$(BB) sweep experiments/cuba.py --seeds 8 --out results/cuba/reproduce.zarr
	$(PY) experiments/figures.py cuba results/cuba/reproduce.zarr results/cuba

reproduce-poisson_lif: $(STAMP)
	$(BB) sweep experiments/poisson_lif.py --seeds 4 --out results/poisson_lif/reproduce.zarr
	$(PY) experiments/figures.py poisson_lif results/poisson_lif/reproduce.zarr results/poisson_lif

reproduce-brunel: $(STAMP)
	$(BB) sweep experiments/brunel.py --seeds 2 --out results/brunel/reproduce.zarr
	$(BB) show results/brunel/reproduce.zarr
	$(PY) experiments/figures.py brunel results/brunel/reproduce.zarr results/brunel

# scale 0.1, in-degrees 0.1 (NEST's default); the README gives the full-scale command
reproduce-microcircuit: $(STAMP)
	$(BB) sweep experiments/microcircuit.py --seeds 1 --out results/microcircuit/reproduce.zarr
	$(BB) show results/microcircuit/reproduce.zarr --experiment experiments/microcircuit.py
	$(PY) experiments/figures.py microcircuit results/microcircuit/reproduce.zarr results/microcircuit

# a sampled design (docs/sampling.md): 32 Sobol points over we x wi, one compiled program, rate vs each
reproduce-coba-sampled: $(STAMP)
	$(BB) sweep experiments/coba.py -p we=0.3:0.9 -p wi=4:9 --samples 32 --out results/coba/sampled.zarr
	$(BB) show results/coba/sampled.zarr
	$(PY) experiments/figures.py coba_sampled results/coba/sampled.zarr results/coba

# Song 2000 STDP (docs/plasticity.md): 4 seeds x 3 depression/potentiation ratios, 100 s each; COBA with E->E
# STDP, 4 seeds x 3 ratios, 2 s; weight figures
reproduce-stp: $(STAMP)
	$(BB) sweep experiments/stp_tsodyks.py --seeds 4 -p U=0.5,0.05 -p tau_f=0,1000 --out results/stp_tsodyks/reproduce.zarr
	$(BB) show results/stp_tsodyks/reproduce.zarr --experiment experiments/stp_tsodyks.py
	$(PY) experiments/figures.py stp_tsodyks results/stp_tsodyks/reproduce.zarr results/stp_tsodyks

reproduce-stdp: $(STAMP)
	$(BB) sweep experiments/stdp_song2000.py --seeds 4 -p ratio=1.0,1.05,1.1 --out results/stdp_song2000/reproduce.zarr
	$(BB) show results/stdp_song2000/reproduce.zarr --experiment experiments/stdp_song2000.py
	$(PY) experiments/figures.py stdp_song2000 results/stdp_song2000/reproduce.zarr results/stdp_song2000
	$(BB) sweep experiments/coba_stdp.py --seeds 4 -p ratio=1.0,1.05,1.2 --duration 2000 --out results/coba_stdp/reproduce.zarr
	$(BB) show results/coba_stdp/reproduce.zarr --experiment experiments/coba_stdp.py
	$(PY) experiments/figures.py stdp_coba results/coba_stdp/reproduce.zarr results/coba_stdp

bench: $(STAMP)
	$(MAKE) -C bench PY_MAIN=$(abspath $(PY))

clean:
	rm -rf results/*/ build dist *.egg-info .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

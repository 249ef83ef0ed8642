"""The docs' first Python snippets run on the stores they describe (issue 23, item 7).

README.md's first snippet sweeps experiments/coba.py and reads the store with plain xarray and
``ds.bb``; the store README's "Reading" snippet reads such a store. Both run here as written, on a
smaller COBA (same code, fewer neurons and steps: only the sweep call's arguments are changed).
"""
from __future__ import annotations

import pathlib
import re

import pytest

pytestmark = pytest.mark.slow  # a COBA sweep: its compile takes most of the time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SWEEP_ARGS = 'seeds=8, params={"we": [0.4, 0.6, 0.8]}'
SMALL = ('seeds=1, params={"we": [0.4, 0.6, 0.8], "n_exc": [160], "n_inh": [40]}, duration=20.0, out=OUT, '
         'progress=False, devices="cpu"')


def _first_python(path: pathlib.Path, after: str = "") -> str:
    text = path.read_text()
    text = text[text.index(after):] if after else text
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory, monkeypatch_module):
    monkeypatch_module.chdir(ROOT)  # the snippet names experiments/coba.py relative to the repository
    code = _first_python(ROOT / "README.md", "## A first sweep")
    assert SWEEP_ARGS in code, "the README's first sweep changed: update SWEEP_ARGS"
    out = str(tmp_path_factory.mktemp("readme") / "we.zarr")
    namespace = {"OUT": out}
    exec(compile(code.replace(SWEEP_ARGS, SMALL), "README.md", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_readme_first_snippet_runs_on_its_store(readme_run):
    ds = readme_run["ds"]
    assert ds.bb.spike_vars == ["spikes_E", "spikes_I"]
    rate = ds.bb.mean_rate()
    assert rate.dims == ("seed", "we", "n_exc", "n_inh", "population") and bool((rate > 0).all())
    assert ds.spikes_E.sel(we=0.6).mean("seed").dims == ("n_exc", "n_inh", "time", "E_neuron")


def test_store_readme_reading_snippet_runs_on_such_a_store(readme_run):
    code = _first_python(ROOT / "brainbatch" / "store" / "README.md", "## Reading")
    assert '"results/coba/we.zarr"' in code
    namespace: dict = {}
    exec(compile(code.replace('"results/coba/we.zarr"', repr(readme_run["path"])), "store/README.md", "exec"),  # noqa: S102
         namespace)
    ds = namespace["ds"]
    assert bool(ds["states/E.V"].sel(seed=0, we=0.6).notnull().all())


def test_store_readme_neo_snippet_gives_ds_bb_rates(readme_run):
    pytest.importorskip("elephant")  # the optional neo extra (make setup installs it)
    import numpy as np

    code = _first_python(ROOT / "brainbatch" / "store" / "README.md", "### To neo and elephant")
    ds = readme_run["ds"]
    namespace: dict = {"ds": ds}
    exec(compile(code, "store/README.md", "exec"), namespace)  # noqa: S102
    want = ds.bb.rates(var="spikes_E").sel(seed=0, we=0.6).values.ravel()
    np.testing.assert_allclose(namespace["rates"], want, rtol=1e-6)

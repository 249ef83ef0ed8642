"""The Python API given the wrong kinds of values (session 36): each is refused in one line before anything is
written, or means what it says; never a value taken truthy, an order made up, or a change silently swept away."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.store import ResultStore, RunNotFoundError, StoreError, StoreSpec, VarSpec
from brainbatch.sweep import UsageError, load_experiment, make_plan, prepare, run

from _support import LIF_TAU, TOY, tree


@pytest.fixture(scope="module")
def toy():
    return load_experiment(TOY)


@pytest.mark.parametrize("flag, value", [("force", "no"), ("verify", 1), ("fail_fast", "yes"), ("verbose", None)])
def test_a_flag_that_is_not_true_or_false_is_refused_before_the_store_is_made(tmp_path, flag, value):
    # force="no" is true to Python: it rebuilt the store, discarding every finished run
    out = tmp_path / "s.zarr"
    with pytest.raises(UsageError, match=rf"{flag} must be True or False, got {value!r}"):
        bb.sweep(TOY, out=str(out), progress=False, **{flag: value})
    assert tree(out) == []


def test_a_dry_run_flag_and_echo_are_checked_too(tmp_path):
    with pytest.raises(UsageError, match="dry_run must be True or False, got 'yes'"):
        prepare(TOY, dry_run="yes", out=str(tmp_path / "s.zarr"))
    # echo="x" failed at the sweep's first note, after its store was made
    with pytest.raises(UsageError, match="echo must be a function"):
        bb.sweep(TOY, echo="x", out=str(tmp_path / "e.zarr"), progress=False)
    assert tree(tmp_path) == []
    assert prepare(TOY, dry_run=np.True_, force=np.False_, out=str(tmp_path / "n.zarr")).plan.seeds == [0]


def test_seeds_as_a_set_or_a_generator_are_refused_and_other_arrays_are_seeds(toy):
    with pytest.raises(UsageError, match=r"seeds \{1, 3, 5\}: a set has no order.*give a list"):
        make_plan(toy, seeds={5, 1, 3})
    with pytest.raises(UsageError, match="a generator or iterator is used up once read"):
        make_plan(toy, seeds=(s for s in (2, 4)))
    import jax.numpy as jnp
    import pandas as pd

    # an array of another library was "give a count, a range or a list"
    assert make_plan(toy, seeds=jnp.array([4, 2])).seeds == [4, 2]
    assert make_plan(toy, seeds=pd.Series([7, 3])).seeds == [7, 3]
    with pytest.raises(UsageError, match="bad seed"):
        make_plan(toy, seeds=jnp.array([1.5, 2.0]))


def test_parameter_values_as_a_range_an_array_a_set_or_a_generator(toy):
    # range(10, 13) was "parameter 'n' is an integer, got range(10, 13)"
    assert make_plan(toy, params={"n": range(10, 13)}).axes["n"] == [10, 11, 12]
    import jax.numpy as jnp

    assert make_plan(toy, params={"drive": jnp.array([1.0, 2.0])}).axes["drive"] == [1.0, 2.0]
    with pytest.raises(UsageError, match=r"parameter 'drive' \{.*\}: a set has no order"):
        make_plan(toy, params={"drive": {1.25, 1.5}})
    with pytest.raises(UsageError, match="parameter 'drive' .*used up once read"):
        make_plan(toy, params={"drive": (v for v in (1.25, 1.5))})


def test_an_experiment_changed_after_loading_is_refused_not_swept_as_its_file(toy, tmp_path):
    out = str(tmp_path / "s.zarr")
    # every run builds from the file: these changes were silently not what was swept
    with pytest.raises(UsageError, match=r"changed after it was loaded \(params not as in .*params="):
        prepare(dataclasses.replace(toy, params={**toy.params, "n": 5}), dry_run=True, out=out)
    with pytest.raises(UsageError, match=r"\(monitors not as in"):
        prepare(dataclasses.replace(toy, monitors={"V": "G.V"}), dry_run=True, out=out)
    with pytest.raises(UsageError, match=r"\(build not as in"):
        prepare(dataclasses.replace(toy, build=lambda n=20, drive=1.5: None), dry_run=True, out=out)
    # what the plan takes from the object itself (run() empties the module's sweep axes) is still taken
    prep = prepare(dataclasses.replace(toy, sweep={}, duration=5.0), dry_run=True, out=out)
    assert (prep.plan.axes, prep.plan.n_steps) == ({}, 50)
    assert tree(out) == []


def test_run_takes_one_value_and_names_its_own_keywords(tmp_path):
    out = str(tmp_path / "r.zarr")
    # an array of two values was "takes numbers, got array([1. , 1.2])"
    with pytest.raises(UsageError, match="run takes one value per parameter, got drive=array"):
        run(TOY, params={"drive": np.array([1.0, 1.2])}, out=out)
    import brainunit as u

    # a quantity array was two runs where run makes one
    with pytest.raises(UsageError, match="run takes one value per parameter, got tau=Quantity"):
        run(LIF_TAU, params={"tau": np.array([10.0, 20.0]) * u.ms}, out=out)
    # seeds=3 was "sweep() got multiple values for keyword argument 'seeds'"
    with pytest.raises(TypeError, match=r"run\(\) takes one seed \(seed=0\)"):
        run(TOY, seeds=3, out=out)
    with pytest.raises(TypeError, match=r"run\(\) got an unexpected keyword argument 'progess'. Did you mean 'progress'"):
        run(TOY, progess=False, out=out)
    with pytest.raises(UsageError, match=r"parameter 'drive' \{1.2\}: a set has no order"):
        run(TOY, params={"drive": {1.2}}, out=out)
    assert tree(out) == []


@pytest.fixture
def flag_store(tmp_path) -> str:
    """A store (nothing run) over seeds 0, 1, a bool axis and a float axis: made without JAX."""
    spec = StoreSpec(experiment="toy", source_hash="a" * 64, params={"flag": [True, False], "drive": [1.0, 1.5]},
                     seeds=[0, 1], n_steps=4, dt=0.1, records=(VarSpec("V", ("n",), (2,), "float32"),),
                     states=(VarSpec("G.V", ("n",), (2,), "float32"),), time_chunk=4)
    path = str(tmp_path / "flags.zarr")
    ResultStore.create(path, spec)
    return path


def test_a_run_is_found_by_its_values_never_by_a_bool_taken_for_1(flag_store):
    store = ResultStore.open(flag_store, "r")
    assert store.run_index(seed=1, flag=False, drive=1.0) == (1, 1, 0)
    assert store.run_index(seed=np.float64(1.0), flag=np.False_, drive=np.float32(1.5)) == (1, 1, 1)
    # True was seed 1, and 1.000000000001 seed 1 too (the near match meant for floats parsed from text)
    for seed in (True, 1.000000000001, "1"):
        with pytest.raises(RunNotFoundError, match=rf"seed={seed!r} is not in the store: a seed is an integer"):
            store.run_index(seed=seed, flag=True, drive=1.0)
    with pytest.raises(RunNotFoundError, match="flag=1 is not in the store"):  # 1 was the run of flag=True
        store.run_index(seed=0, flag=1, drive=1.0)
    with pytest.raises(RunNotFoundError, match="drive=True is not in the store"):  # True was drive=1.0
        store.run_index(seed=0, flag=True, drive=True)


def test_load_state_and_open_results_check_their_arguments(flag_store):
    with pytest.raises(RunNotFoundError, match="a seed is an integer"):
        bb.load_state(flag_store, seed=True, flag=True, drive=1.0)
    with pytest.raises(StoreError, match="is 'pending'"):  # found, not done
        bb.load_state(flag_store, seed=1, flag=True, drive=1.0)
    # "load_state() missing 1 required positional argument: 'seed'"
    with pytest.raises(StoreError, match=r"needs the run's seed=.*seeds= is a sweep's"):
        bb.load_state(flag_store, seeds=0, flag=True, drive=1.0)
    # states="no" is true to Python: the states were read in
    with pytest.raises(StoreError, match="states must be True or False, got 'no'"):
        bb.open_results(flag_store, states="no")
    with pytest.raises(TypeError, match="Did you mean 'mode'"):
        ResultStore.open(flag_store, mdoe="r")


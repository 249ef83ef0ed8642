"""The Python API from the top-level package: load_experiment, sweep, open_results."""
import pytest
import brainbatch as bb
from _support import TOY


def test_top_level_names_reach_the_sweep_api(tmp_path):
    exp = bb.load_experiment(TOY)
    assert exp.name == "toy" and exp.params == {"n": 20, "drive": 1.5} and exp.sweep == {"drive": [1.2, 1.5]}
    assert exp.duration == 20.0 and exp.dt == 0.1 and callable(exp.analyse)
    out = str(tmp_path / "api.zarr")
    path = bb.sweep(TOY, seeds=[0, 2], params={"drive": [1.5]}, out=out, executor="local", devices="cpu",
                    progress=False)
    assert isinstance(path, str) and path == out and path.done == 2 and path.failed == []
    ds = bb.open_results(path)
    assert ds.seed.values.tolist() == [0, 2] and bool(ds.done.all())
    # ``brainbatch.sweep`` is also the subpackage; both uses work
    import brainbatch.sweep.api as api

    assert bb.sweep.api is api and callable(bb.sweep) and bb.sweep.load_experiment is bb.load_experiment


def test_every_spelling_of_brainbatch_sweep():
    # docs/architecture.md, "sweep": the package, made callable; the function under its own name too
    import inspect

    import brainbatch.sweep as package
    from brainbatch.sweep import Range, sweep
    from brainbatch.sweep.api import sweep as function

    assert bb.sweep is package and package.sweep is sweep is function and package.Range is Range is bb.Range
    assert callable(package) and inspect.ismodule(package) and inspect.isfunction(sweep)


def test_params_that_are_not_a_dict_are_refused_in_one_line(tmp_path):
    # the command line's spelling raised "dictionary update sequence element #0 has length 1" (bad-input audit)
    import pytest

    for bad, said in [("drive=1.2,1.5", r"got 'drive=1.2,1.5'; -p NAME=V1,V2 is the command line's spelling"),
                      (["drive"], r"got \['drive'\]$")]:
        with pytest.raises(bb.sweep.UsageError, match=r"params must be a dict name -> values .*" + said):
            bb.sweep(TOY, params=bad, out=str(tmp_path / "p.zarr"), progress=False)
    assert not (tmp_path / "p.zarr").exists()


def test_bad_python_options_are_named_before_the_store_is_made(tmp_path):
    """Audit: `progress="yes"` failed with numpy's "could not convert string to float" after the store was made;
    `options={"seeds": 2}` was an AttributeError."""
    from brainbatch.sweep import UsageError

    out = tmp_path / "p.zarr"
    with pytest.raises(UsageError, match="progress must be True, False or the seconds between updates"):
        bb.sweep(TOY, out=str(out), duration=2, progress="yes")
    with pytest.raises(UsageError, match="options must be a brainbatch.sweep.SweepOptions"):
        bb.sweep(TOY, out=str(out), duration=2, options={"seeds": 2})
    assert not out.exists()

"""A store holds runs of one event path: the native kernels and their JAX twin sum a step's events in another
order, so their runs differ in float rounding (brainbatch/kernels/README.md)."""
import pytest
import zarr
from _support import TOY, invoke, refused_in_one_line, tree

from brainbatch.kernels import active_backend, native_available, use_kernels
from brainbatch.sweep.api import prepare

ARGS = ("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "--duration", "5", "--devices", "cpu", "-q")


@pytest.mark.skipif(not native_available(), reason="the native kernels do not build here")
def test_a_store_never_mixes_runs_of_two_event_paths(tmp_path):
    out = tmp_path / "k.zarr"
    assert invoke(*ARGS, "--kernels", "jax", "--out", out).returncode == 0
    assert zarr.open_group(str(out), mode="r").attrs["provenance"]["event_kernels"].startswith("jax ")
    files = tree(out)
    # more seeds, a longer run, a resume: each would continue or add runs on the native path (as for x64, the
    # same sweep again is refused too: the store's settings are not this sweep's)
    for extra in (("--seeds", "3"), ("--duration", "10"), ()):
        res = invoke(*ARGS, *extra, "--kernels", "native", "--out", out)
        assert refused_in_one_line(res), res.stderr
        assert "computed on the jax event path, this sweep runs the native one" in res.stderr, res.stderr
        assert "--kernels jax" in res.stderr and "--force" in res.stderr and "--out" in res.stderr
    assert tree(out) == files
    same = invoke(*ARGS, "--seeds", "3", "--kernels", "jax", "--out", out)  # on the store's path: extended
    assert same.returncode == 0 and "1 run(s) done" in same.stderr + same.stdout, same.stderr

    forced = invoke(*ARGS, "--kernels", "native", "--force", "--out", out)  # every run redone on this path
    assert forced.returncode == 0 and "2 run(s) done" in forced.stderr + forced.stdout, forced.stderr
    assert zarr.open_group(str(out), mode="r").attrs["provenance"]["event_kernels"].startswith("native ")


@pytest.mark.parametrize("choice", ["auto", "jax"])
def test_each_task_carries_the_path_itself_not_auto(tmp_path, choice):
    """A worker takes the path the sweep resolved: one that cannot build the native kernels fails the runs
    (KernelChoiceError) instead of computing them on the JAX twin under a store that says native."""
    with use_kernels(choice):
        tasks = prepare(TOY, seeds=2, params={"drive": [1.5]}, out=str(tmp_path / "t.zarr"), duration=5,
                        devices="cpu").tasks
        assert {t.kernels for t in tasks} == {active_backend()}

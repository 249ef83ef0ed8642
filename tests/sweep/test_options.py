"""SweepOptions: one frozen object for the CLI, prepare and sweep (issue 21 item 4)."""
import dataclasses
import inspect
import re

import pytest

import brainbatch as bb
from brainbatch.sweep import SweepOptions, UsageError, api


def test_bb_sweep_keywords_are_the_options_with_the_same_defaults():
    keywords = {k: p.default for k, p in inspect.signature(api.sweep).parameters.items()
                if k not in ("experiment", "echo", "options")}
    fields = {f.name: f.default for f in dataclasses.fields(SweepOptions)}
    assert set(keywords) == set(fields) - {"dry_run"}  # a dry run is prepare's; the CLI's --dry-run prints it
    assert {k: fields[k] for k in keywords} == keywords
    assert bb.SweepOptions is SweepOptions and callable(bb.sweep)


def test_options_are_frozen_and_a_misspelled_one_is_named():
    opts = SweepOptions(seeds=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.seeds = 3
    with pytest.raises(UsageError, match="no option 'chekpoint_every'. Did you mean 'checkpoint_every'"):
        opts.replace(chekpoint_every=5)
    with pytest.raises(UsageError, match="options must be a SweepOptions"):
        api.prepare("x.py", {"seeds": 2})
    assert SweepOptions(executor="dask", devices="cpu:4").device_list() == ["cpu:0"]
    assert SweepOptions(devices=["cpu:1"]).device_list() == ["cpu:1"]


@pytest.mark.parametrize("keyword, fragment", [
    ("kernels", r"kernel choice is not an option of sweep: call it inside `with brainbatch.kernels.use_kernels"),
    ("dry_run", r"prepare\(experiment, SweepOptions\(..., dry_run=True\)\)"),
    ("durtion", "Did you mean 'duration'"),
])
def test_a_keyword_of_another_call_says_where_it_belongs(keyword, fragment):
    # sweep(kernels="jax") suggested 'workers', the closest spelling, for a choice made elsewhere
    with pytest.raises(TypeError, match=fragment):
        bb.sweep("x.py", **{keyword: 1})


@pytest.mark.parametrize("devices, fragment", [
    ([], "devices=[] names no device"),
    (["tpu:0"], "unknown device 'tpu:0'"),
    (["cpu:7"], "unknown device 'cpu:7'"),
])
def test_a_device_list_naming_no_device_here_is_refused_before_the_store(tmp_path, devices, fragment):
    # devices=[] divided by zero after the store was made; a bad name failed every run in it
    from _support import TOY

    out = tmp_path / "d.zarr"
    with pytest.raises(UsageError, match=re.escape(fragment)) as err:
        bb.sweep(TOY, seeds=1, duration=1.0, out=str(out), devices=devices, progress=False)
    assert "Devices here: cpu:0" in str(err.value) or not devices
    assert not out.exists()


@pytest.mark.parametrize("options, fragment, cli_fragment", [
    (dict(scheduler="tcp://127.0.0.1:1"), "scheduler is an option of the dask executor; add executor='dask'",
     "--scheduler is an option of the dask executor; add --executor dask"),
    (dict(workers=2, retries=1), "workers, retries are options of the dask executor",
     "--workers, --retries are options of the dask executor"),
    (dict(executor="dask", workers=0), "workers must be an integer >= 1, got 0", "--workers must be an integer >= 1, got 0"),
    (dict(executor="dask", dashboard="nonsense"), "dashboard must be HOST:PORT", "--dashboard must be HOST:PORT"),
    # an address dask cannot read was a traceback, after the store was made
    (dict(executor="dask", scheduler="notanaddress"), "scheduler 'notanaddress' is not an address of a dask scheduler",
     "--scheduler 'notanaddress' is not an address of a dask scheduler"),
    # dask reads any port number; the connection failed later, obscurely
    (dict(executor="dask", scheduler="10.0.0.5:99999"), "(port 99999 is outside 1-65535)",
     "--scheduler '10.0.0.5:99999' is not an address of a dask scheduler (port 99999 is outside 1-65535)"),
    (dict(executor="daks"), "Did you mean 'dask'", "'daks' is not one of 'local', 'dask'"),
])
def test_executor_options_are_checked_before_anything_even_in_a_dry_run(tmp_path, options, fragment, cli_fragment):
    """Each message names the option as the user wrote it: ``workers`` in Python, ``--workers`` on the command line."""
    # dask's options were silently ignored by the local executor, and a dry run never checked them
    from _support import TOY, invoke

    out = tmp_path / "e.zarr"
    with pytest.raises(UsageError, match=re.escape(fragment)) as err:
        bb.sweep(TOY, seeds=1, duration=1.0, out=str(out), progress=False, **options)
    assert "--" not in str(err.value), err.value
    flags = [f"--{k}={v}" for k, v in options.items()]
    res = invoke("sweep", TOY, "--seeds", "1", "--duration", "1", "--out", out, "--dry-run", *flags)
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert cli_fragment in res.stderr, res.stderr
    assert not out.exists()

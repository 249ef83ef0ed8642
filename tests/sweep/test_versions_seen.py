"""A store extended or resumed after an upgrade of brainbatch or jax says so, and keeps every version pair its
runs were computed with (``versions_seen``), instead of overwriting the record with the newest."""
import jax
import zarr
from _support import TOY

import brainbatch as bb
from brainbatch.store import ResultStore


def test_a_sweep_under_other_versions_warns_and_the_store_lists_both(tmp_path):
    out = tmp_path / "v.zarr"
    kw = dict(params={"drive": [1.5]}, duration=5, out=str(out), progress=False)
    bb.sweep(TOY, seeds=1, **kw)
    now = ResultStore.open(out, "r").versions_seen
    assert len(now) == 1 and now[0]["jax"] == jax.__version__ and now[0]["brainbatch"]
    old = {"brainbatch": "0.0.1", "jax": "0.4.0"}  # as a store written before an upgrade holds it
    zarr.open_group(str(out), mode="a").attrs.update({"versions_seen": [old]})

    said = []
    res = bb.sweep(TOY, seeds=2, echo=said.append, **kw)
    assert res.done == 1
    text = "\n".join(said)
    assert "computed with brainbatch 0.0.1 and jax 0.4.0; this sweep's with brainbatch" in text, text
    assert ResultStore.open(out, "r").versions_seen == [old, now[0]]
    from _support import invoke

    shown = invoke("show", out)
    assert "computed with: brainbatch 0.0.1, jax 0.4.0; then brainbatch " in shown.stdout, shown.stdout
    said.clear()
    bb.sweep(TOY, seeds=3, echo=said.append, **kw)  # the same versions as the last sweep: nothing to say
    assert "computed with brainbatch" not in "\n".join(said)


def test_a_sweep_on_another_kind_of_device_says_so_and_the_store_records_each_change(tmp_path):
    # left item of the fourth store audit: the kind of device was not recorded, so a store resumed on a GPU after a
    # CPU (whose rounding differs: docs/random.md) held runs of both without a word
    out = tmp_path / "p.zarr"
    kw = dict(params={"drive": [1.5]}, duration=5, out=str(out), progress=False)
    bb.sweep(TOY, seeds=1, **kw)
    (here,) = ResultStore.open(out, "r").versions_seen
    assert here["platform"] == "cpu" and here["jax"] == jax.__version__
    gpu = {**here, "platform": "gpu"}  # what a store continued on a GPU holds
    zarr.open_group(str(out), mode="a").attrs.update({"versions_seen": [here, gpu]})
    said = []
    assert bb.sweep(TOY, seeds=2, echo=said.append, **kw).done == 1
    text = "\n".join(said)
    assert f"so far were computed with brainbatch {here['brainbatch']} and jax {jax.__version__} on gpu; this " \
           f"sweep's with brainbatch {here['brainbatch']} and jax {jax.__version__} on cpu" in text, text
    assert ResultStore.open(out, "r").versions_seen == [here, gpu, here]
    from _support import invoke

    shown = invoke("show", out)
    assert f"jax {jax.__version__} on gpu; then brainbatch" in shown.stdout, shown.stdout
    # an entry written before the platform was recorded is the same computation: nothing to say, nothing added
    old = {k: v for k, v in here.items() if k != "platform"}
    zarr.open_group(str(out), mode="a").attrs.update({"versions_seen": [old]})
    said.clear()
    bb.sweep(TOY, seeds=3, echo=said.append, **kw)
    assert "computed with brainbatch" not in "\n".join(said)
    assert ResultStore.open(out, "r").versions_seen == [old, here]

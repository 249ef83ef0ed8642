"""The store's refusals name what differs, session 39: two experiments of one name in different folders share
their default store path (``results/<name>/...``), and the second was refused with two source hashes only."""
import shutil

import pytest
from _support import TOY

import brainbatch as bb
from brainbatch.sweep import UsageError

FAST = {"seeds": 1, "params": {"drive": [1.5]}, "duration": 2, "progress": False}


def test_a_store_written_by_a_same_named_experiment_elsewhere_names_both_files(tmp_path):
    first, second = tmp_path / "a" / "toy.py", tmp_path / "b" / "toy.py"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(TOY, path)
    second.write_text(second.read_text() + "\n# the other copy\n")
    out = str(tmp_path / "s.zarr")
    assert bb.sweep(str(first), out=out, **FAST).done == 1
    with pytest.raises(UsageError) as err:
        bb.sweep(str(second), out=out, **FAST)
    text = str(err.value)
    assert f"the store's runs came from {first}, this sweep runs {second}" in text, text
    # the same file, changed in place, names no paths (they agree)
    first.write_text(first.read_text() + "\n# edited\n")
    with pytest.raises(UsageError) as err:
        bb.sweep(str(first), out=out, **FAST)
    assert "source_hash" in str(err.value) and "came from" not in str(err.value)


def test_a_positional_only_build_parameter_is_refused_with_the_way_out(tmp_path):
    # def build(n=4, /): the sweep said "'n' is not taken by build(). Parameters: drive", naming it nowhere
    from brainbatch.sweep import load_experiment

    exp = tmp_path / "po.py"
    exp.write_text("import brainbatch as bb\n"
                   "def build(n=4, /, drive=1.0):\n"
                   "    return bb.Network(E=bb.LIF(n))\n")
    with pytest.raises(UsageError) as err:
        bb.sweep(str(exp), out=str(tmp_path / "s.zarr"), seeds=1, params={"n": [3, 4]}, duration=1, progress=False)
    assert "parameter 'n' of build() in" in str(err.value) and "is positional-only" in str(err.value)
    assert "remove the '/' from build()'s signature" in str(err.value)
    load_experiment(str(exp)).check_param("drive")  # the others are swept as before


def test_the_clis_quiet_given_to_the_api_names_progress():
    # sweep(quiet=True) suggested out= (the nearest spelling), which is no way to silence the bar
    with pytest.raises(TypeError) as err:
        bb.sweep(TOY, seeds=1, quiet=True)
    assert "unexpected keyword argument 'quiet'. The progress bar is sweep(..., progress=False)" in str(err.value)


def test_an_edited_default_redoes_every_run_under_force_and_an_added_parameter_keeps_them(tmp_path):
    # an edited source keeps its done runs with --force, but one that changed a default of a parameter it does not
    # sweep (n=20 -> n=12) kept runs of 20 neurons labelled n=12, every run done
    from pathlib import Path

    from brainbatch.store import ResultStore

    source = Path(TOY).read_text()
    exp = tmp_path / "toy.py"
    exp.write_text(source)
    out = str(tmp_path / "s.zarr")
    kw = {**FAST, "duration": 2}
    assert bb.sweep(str(exp), out=out, **kw).done == 1
    exp.write_text(source.replace("def build(n=20, drive=1.5):", "def build(n=12, drive=1.5):").replace(
        'params = {"n": 20,', 'params = {"n": 12,'))
    with pytest.raises(UsageError) as err:
        bb.sweep(str(exp), out=out, **kw)
    text = " ".join(str(err.value).split())
    assert "defaults: the store's runs were computed with build() defaults n=20, this sweep's are n=12 " \
           "(the edited source changed them)" in text, text
    assert "so all data are discarded and every run becomes pending" in text, text
    res = bb.sweep(str(exp), out=out, seeds=2, force=True, **{k: v for k, v in kw.items() if k != "seeds"})
    assert res.done == 2 and res.skipped == 0  # seed 0 computed again, with 12 neurons
    assert ResultStore.open(out, "r").spec.attrs["defaults"]["n"] == 12
    # an edit that only adds a parameter (with its default) keeps the done runs under force, as any edited source
    exp.write_text(exp.read_text().replace("def build(n=12, drive=1.5):", "def build(n=12, drive=1.5, extra=0):"))
    res = bb.sweep(str(exp), out=out, seeds=2, force=True, **{k: v for k, v in kw.items() if k != "seeds"})
    assert res.done == 0 and res.skipped == 2

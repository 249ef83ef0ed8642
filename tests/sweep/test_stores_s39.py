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

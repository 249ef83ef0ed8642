"""``dir(bb)`` lists the public API (without importing JAX), and every listed name resolves."""
import subprocess
import sys

import brainbatch as bb
import brainbatch.models


def test_dir_lists_every_model_name_and_hides_helpers():
    names = dir(bb)
    assert set(brainbatch.models.__all__) <= set(names)
    assert {"Runner", "Network", "sweep", "open_results", "Delta", "Projection", "__version__"} <= set(names)
    assert not {"importlib", "annotations", "_EXPORTS", "_version"} & set(names)
    for name in bb.__all__:
        assert getattr(bb, name) is not None, name


def test_the_static_list_equals_models_all():
    assert tuple(bb._MODEL_NAMES) == tuple(brainbatch.models.__all__)


def test_dir_does_not_import_jax():
    code = "import sys, brainbatch as bb; names = dir(bb); assert 'LifRef' in names; print('jax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr

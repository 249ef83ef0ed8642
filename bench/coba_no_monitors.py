"""COBA of experiments/coba.py with nothing recorded -- bench case 6's baseline (the simulation alone,
through the same CLI, store and checkpoints as the recorded run).

    brainbatch sweep bench/coba_no_monitors.py --duration 60000 --out /tmp/bare.zarr
"""
import importlib.util as _ilu
import os as _os
import sys as _sys

_folder = _os.path.join(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))), "experiments")
_spec = _ilu.spec_from_file_location("_coba_experiment", _os.path.join(_folder, "coba.py"))
_coba = _ilu.module_from_spec(_spec)
# coba.py imports its helper beside it (`from _analysis import ...`), found on its folder, as brainbatch loads it
_sys.path.insert(0, _folder)
try:
    _spec.loader.exec_module(_coba)
finally:
    _sys.path.remove(_folder)

monitors = {}
duration = 60000.0
dt = _coba.dt
build = _coba.build

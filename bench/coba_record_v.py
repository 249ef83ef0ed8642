"""COBA of experiments/coba.py recording spikes and V of all neurons (every 1 ms) -- bench case 6.

    brainbatch sweep bench/coba_record_v.py --duration 60000 --out /tmp/long.zarr
"""
import importlib.util as _ilu
import os as _os
import sys as _sys

import brainbatch as bb

_folder = _os.path.join(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))), "experiments")
_spec = _ilu.spec_from_file_location("_coba_experiment", _os.path.join(_folder, "coba.py"))
_coba = _ilu.module_from_spec(_spec)
# coba.py imports its helper beside it (`from _analysis import ...`), found on its folder, as brainbatch loads it
_sys.path.insert(0, _folder)
try:
    _spec.loader.exec_module(_coba)
finally:
    _sys.path.remove(_folder)

monitors = {**_coba.monitors, "V_E": bb.Monitor("E.V", every=10), "V_I": bb.Monitor("I.V", every=10)}
duration = 60000.0
dt = _coba.dt
build = _coba.build

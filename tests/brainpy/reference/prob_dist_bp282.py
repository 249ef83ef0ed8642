"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_prob_dist.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/prob_dist_bp282.py

``bp.conn.ProbDist(dist, prob=1.0, pre_ratio=1.0)`` connects every pair of grid positions within ``dist`` (its
random draws all pass at prob 1), so its ``conn_mat`` is the candidate set of any ``prob``. Printed: per case,
each presynaptic neuron's number of targets and the first 16 hex digits of the sha256 of the packed matrix.
"""
import hashlib

import numpy as np
import brainpy as bp

CASES = {
    "1d": dict(pre=(10,), post=(10,), dist=2),
    "1d_no_self": dict(pre=(10,), post=(10,), dist=2, include_self=False),
    "1d_unequal": dict(pre=(6,), post=(9,), dist=1.5),
    "2d": dict(pre=(4, 5), post=(4, 5), dist=1.5),
    "2d_no_self": dict(pre=(4, 5), post=(4, 5), dist=2, include_self=False),
    "2d_unequal": dict(pre=(3, 4), post=(5, 2), dist=1),
    "3d": dict(pre=(3, 2, 4), post=(3, 2, 4), dist=1.2),
}

for name, case in CASES.items():
    case = dict(case)
    pre, post = case.pop("pre"), case.pop("post")
    mat = np.asarray(bp.conn.ProbDist(prob=1.0, **case)(pre, post).require("conn_mat"), bool)
    digest = hashlib.sha256(np.packbits(mat).tobytes()).hexdigest()[:16]
    print(f'"{name}": ({mat.sum(axis=1).tolist()}, "{digest}"),')

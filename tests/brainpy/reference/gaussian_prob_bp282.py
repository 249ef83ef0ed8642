"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_gaussian_prob.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/gaussian_prob_bp282.py

``bp.conn.GaussianProb`` connects pair (i, j) where its probability ``p(i, j)`` is >= a uniform draw. With the
draw replaced by a constant level (the random generator's ``random`` returning ``level`` everywhere), its
``conn_mat`` is the level set ``p >= level``: BrainPy's probability matrix, read at three levels, for each case
below. Printed: per case and level, each presynaptic neuron's number of targets and the sha256 of the
packed matrix (its first 16 hex digits).
"""
import hashlib

import numpy as np
import brainpy as bp

CASES = {
    "1d": dict(size=(12,), sigma=2.0),
    "1d_periodic": dict(size=(12,), sigma=2.0, periodic_boundary=True),
    "1d_no_self_raw": dict(size=(10,), sigma=3.0, include_self=False, normalize=False),
    "2d": dict(size=(5, 4), sigma=1.5),
    "2d_periodic": dict(size=(5, 4), sigma=1.5, periodic_boundary=True),
    "2d_values": dict(size=(6, 3), sigma=0.8, encoding_values=((0.0, np.pi), (-1.0, 1.0)), periodic_boundary=True),
    "2d_one_range": dict(size=(4, 4), sigma=0.5, encoding_values=(0.0, 2.0)),
}
LEVELS = (0.1, 0.5, 0.9)


class Level:
    def __init__(self, level):
        self.level = level

    def random(self, shape):
        return np.full(shape, self.level)


for name, case in CASES.items():
    case = dict(case)
    size = case.pop("size")
    for level in LEVELS:
        conn = bp.conn.GaussianProb(**case)(size, size)
        orig = np.random.RandomState
        np.random.RandomState = lambda seed=None, _l=level: Level(_l)  # build_mat makes its generator afresh
        try:
            mat = np.asarray(conn.build_mat(), bool)
        finally:
            np.random.RandomState = orig
        digest = hashlib.sha256(np.packbits(mat).tobytes()).hexdigest()[:16]
        print(f'("{name}", {level}): ({mat.sum(axis=1).tolist()}, "{digest}"),')

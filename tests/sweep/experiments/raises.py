"""The toy population, but build() raises for one value of n (a failing run must not stop a sweep)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from toy import Toy  # noqa: E402

import brainbatch as bb  # noqa: E402

params = {"n": 10, "drive": 1.5}
sweep = {"n": [10, 13]}
monitors = {"spikes": "G.spike", "V": "G.V"}
duration = 5.0


def build(n=10, drive=1.5):
    if n == 13:
        raise ValueError("n=13 is not allowed in this experiment")
    return bb.Network(G=Toy(n, drive))

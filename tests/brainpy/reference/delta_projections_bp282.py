"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_delta_projections.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/delta_projections_bp282.py

``bp.dyn.FullProjDelta`` / ``HalfProjDelta``: one source spiking at t = 0.5 ms (step 2, dt 0.25 ms),
``AllToAll(1, 2, 2.0)`` onto a ``Lif`` starting at V = 5 (tau 10, no spike); ``post.V`` over 10 steps,
in a ``DynSysGroup`` and in custom updates. It prints ``{case: [V of neuron 0 per step]}``.
"""
import json
import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_platform("cpu")
bm.set_dt(0.25)
N = 10

def pre():
    return bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.5])

def run(net, mon):
    r = bp.DSRunner(net, monitors=mon, progress_bar=False)
    r.run(N * 0.25)
    return np.round(np.asarray(r.mon[mon[0]], dtype=float)[:, 0], 5).tolist()

out = {}
# FullProjDelta in a DynSysGroup
for d in (None, 0., 0.25, 0.5, 0.75):
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = pre()
            self.post = bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=20., tau=10., V_initializer=bp.init.Constant(5.))
            self.proj = bp.dyn.FullProjDelta(self.pre, d, bp.dnn.AllToAll(1, 2, 2.0), self.post)
    out[f"full_group_{d}"] = run(Net(), ['post.V'])
# custom update orders
for d in (None, 0.25, 0.75):
    for order in ("pre_first", "proj_first"):
        class Net2(bp.DynSysGroup):
            def __init__(self):
                super().__init__()
                self.pre = pre()
                self.post = bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=20., tau=10., V_initializer=bp.init.Constant(5.))
                self.proj = bp.dyn.FullProjDelta(self.pre, d, bp.dnn.AllToAll(1, 2, 2.0), self.post)
            def update(self):
                if order == "pre_first":
                    self.pre()
                    self.proj()
                else:
                    self.proj()
                    self.pre()
                self.post()
        out[f"full_{order}_{d}"] = run(Net2(), ['post.V'])
# HalfProjDelta
class Net3(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.pre = pre()
        self.post = bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=20., tau=10., V_initializer=bp.init.Constant(5.))
        self.proj = bp.dyn.HalfProjDelta(bp.dnn.AllToAll(1, 2, 2.0), self.post)
    def update(self):
        self.proj(self.pre())
        self.post()
out["half"] = run(Net3(), ['post.V'])
# a delta that makes the neuron spike in the same step (LifRef, threshold crossing after the jump)
class Net4(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.pre = pre()
        self.post = bp.dyn.LifRef(1, V_rest=0., V_reset=0., V_th=6., tau=10., tau_ref=0.5, V_initializer=bp.init.Constant(5.))
        self.proj = bp.dyn.FullProjDelta(self.pre, None, bp.dnn.AllToAll(1, 1, 2.0), self.post)
out["spike_same_step"] = run(Net4(), ['post.spike'])
print(json.dumps(out))

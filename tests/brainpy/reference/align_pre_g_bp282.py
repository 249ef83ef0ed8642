"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_align_pre_instance.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/align_pre_g_bp282.py

``proj.refs['syn'].g`` of the align-pre projections is per presynaptic neuron: a SpikeTimeGroup(3) through an Expon
synapse (tau 5 ms) and an all-to-all comm of weight 0.5 into two LifRef neurons, dt 0.1, the projection updated
before the groups (BrainPy's examples' order), g monitored by a DSRunner. It prints g of the three presynaptic
neurons at steps 12, 20, 30, 45 and 70, rounded to 4 decimals, for FullProjAlignPreSDMg with a delay of 1 ms,
FullProjAlignPreDSMg without delay and FullProjAlignPreSD (a synapse instance, its own g) with a delay of 1 ms,
as one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_dt(0.1)
STEPS = [12, 20, 30, 45, 70]
out = {}
for cls in ["FullProjAlignPreSDMg", "FullProjAlignPreDSMg", "FullProjAlignPreSD"]:
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(3, indices=[0, 1, 2, 0], times=[1.0, 2.0, 3.0, 4.0])
            self.post = bp.dyn.LifRef(2, V_th=1e9)
            comm = bp.dnn.AllToAll(3, 2, 0.5)
            P = getattr(bp.dyn, cls)
            if cls == "FullProjAlignPreSD":
                self.syn = bp.dyn.Expon(3, tau=5.0)
                self.proj = P(self.pre, self.syn, 1.0, comm, bp.dyn.CUBA(), self.post)
            elif cls.endswith("SDMg"):
                self.proj = P(self.pre, bp.dyn.Expon.desc(3, tau=5.0), 1.0, comm, bp.dyn.CUBA(), self.post)
            else:
                self.proj = P(self.pre, None, bp.dyn.Expon.desc(3, tau=5.0), comm, bp.dyn.CUBA(), self.post)

        def update(self):
            self.proj()
            self.pre()
            self.post()

    net = Net()
    g = net.syn.g if cls == "FullProjAlignPreSD" else net.proj.refs['syn'].g
    runner = bp.DSRunner(net, monitors={'g': g}, progress_bar=False)
    runner.run(8.)
    out[cls] = np.round(np.asarray(runner.mon['g'])[STEPS], 4).tolist()
print(json.dumps(out))

"""Reference numbers for ``tests/brainpy/test_nmda_synapse.py``: BrainPy 2.3's ``bp.synapses.NMDA`` and
``bp.synapses.BioNMDA`` in BrainPy 2.8.2.

Run with BrainPy 2.8.2 (not a dependency of brainbatch), from outside the repository:
``python tests/brainpy/reference/nmda_synapse_bp282.py``. Two spike sources (spikes at 5, 10, 40, 100 ms and
12, 41 ms) onto three LIF neurons through ``IJConn([0, 0, 1], [0, 1, 2])``, ``g_max=2``, the default
``MgBlock`` output, dt 0.1 ms, 150 ms; ``NMDA`` with its defaults, ``BioNMDA`` with ``alpha1=1.5, beta1=0.02,
T_dur=1.0``. Printed (BrainPy 2.8.2):

NMDA:
- g at steps 60, 150, 500, 1499: [[0.308896, 0.0], [0.822527, 0.53509], [0.806847, 0.760339], [0.506623, 0.281131]]
- x at steps 60, 150, 500: [[0.637628, 0.0], [0.093377, 0.23457], [0.007083, 0.011679]]
- V at steps 100, 200, 500, 1499: [[-63.77158, -63.77158, -65.0], [-60.77512, -60.77512, -63.00297],
  [-58.6264, -58.6264, -59.96871], [-60.48748, -60.48748, -62.71949]]

BioNMDA:
- g at steps 60, 150, 500, 1499: [[0.355144, 0.0], [0.918831, 0.746775], [0.822767, 0.83192], [0.35924, 0.113632]]
- x at steps 60, 150, 500: [[0.517913, 0.0], [0.072209, 0.19053], [0.005754, 0.009486]]
- V at steps 100, 200, 500, 1499: [[-63.33121, -63.33121, -65.0], [-60.06558, -60.06558, -62.28416],
  [-58.54513, -58.54513, -59.13036], [-61.54152, -61.54152, -64.01804]]
"""
import warnings

import numpy as np
import brainpy as bp
import brainpy.math as bm

warnings.filterwarnings("ignore")
for name, kwargs in (("NMDA", {}), ("BioNMDA", dict(alpha1=1.5, beta1=0.02, T_dur=1.0))):
    bm.random.seed(0)
    pre = bp.neurons.SpikeTimeGroup(2, indices=[0, 0, 1, 0, 1, 0], times=[5., 10., 12., 40., 41., 100.])
    post = bp.neurons.LIF(3, V_rest=-65., V_th=-50., V_reset=-65., tau=10., V_initializer=bp.init.Constant(-65.))
    syn = getattr(bp.synapses, name)(pre, post, bp.conn.IJConn(np.array([0, 0, 1]), np.array([0, 1, 2])), g_max=2.0,
                                     **kwargs)
    net = bp.DynSysGroup(pre=pre, syn=syn, post=post)
    r = bp.DSRunner(net, monitors={"g": syn.g, "x": syn.x, "V": post.V}, progress_bar=False)
    r.run(150.)
    g, x, V = (np.asarray(r.mon[k]) for k in ("g", "x", "V"))
    print(name)
    print("g", np.round(g[[60, 150, 500, 1499]], 6).tolist())
    print("x", np.round(x[[60, 150, 500]], 6).tolist())
    print("V", np.round(V[[100, 200, 500, 1499]], 5).tolist())

"""BrainPy's whole-brain FitzHugh-Nagumo example, ``net_simulation()``: 80 regions, delayed diffusive coupling.

``examples/dynamics_simulation/whole_brain_simulation_with_fhn.py``: ``bp.dyn.FHN`` nodes with
Ornstein-Uhlenbeck noise on x and y, coupled by ``bp.dyn.DiffusiveCoupling`` with a per-pair delay
matrix (fibre lengths / signal speed / dt, in steps), initial delay data drawn from
``bp.init.Uniform(0, 0.05)``, input 0.72, run with ``bp.DSRunner``. BrainPy 2.8.2 no longer ships the
example's HCP connectome (``hcp.npz``), so the matrices come from the seeded synthetic connectome of
``experiments/_connectome.py`` (loaded here as the original loads its file), and the functional
connectivity is computed with numpy instead of ``bp.measure.functional_connectivity``. Only the imports
differ from BrainPy. The numbers it must give are in docs/brainpy/README.md.

    python docs/brainpy/whole_brain_fhn.py
"""
import os
import sys

import numpy as np

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "experiments"))
from _connectome import connectome  # noqa: E402  (the example's np.load(hcp.npz))


class Network(bp.DynSysGroup):
    def __init__(self, signal_speed=20.):
        super().__init__()
        conn_mat, fibre_lengths = connectome(80)
        np.fill_diagonal(conn_mat, 0)
        delay_mat = np.round(fibre_lengths / signal_speed / bm.get_dt()).astype(np.int32)
        np.fill_diagonal(delay_mat, 0)

        self.fhn = bp.dyn.FHN(80, x_ou_sigma=0.01, y_ou_sigma=0.01)
        self.coupling = bp.dyn.DiffusiveCoupling(self.fhn.x, self.fhn.x, var_to_output=self.fhn.input,
                                                 conn_mat=bm.asarray(conn_mat), delay_steps=bm.asarray(delay_mat),
                                                 initial_delay_data=bp.init.Uniform(0, 0.05))


def net_simulation(duration=2000., progress_bar=True):
    net = Network()
    runner = bp.DSRunner(net, monitors=['fhn.x'], inputs=('fhn.input', 0.72), jit=True, progress_bar=progress_bar)
    runner.run(duration)
    return runner.mon


def functional_connectivity(x):
    return np.corrcoef(np.asarray(x).T)


if __name__ == '__main__':
    mon = net_simulation()
    fc = functional_connectivity(mon['fhn.x'][2000:])  # after a 200 ms transient
    print(f"mean functional connectivity {fc[~np.eye(80, dtype=bool)].mean():.3f}, "
          f"mean x {float(mon['fhn.x'][2000:].mean()):.3f}")

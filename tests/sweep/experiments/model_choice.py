"""A parameter that picks the model: LIF (no refractory state) or LifRef (i_last_spike...): two state sets."""
import brainbatch as bb
params = {"ref": 0.0}
sweep = {"ref": [0.0, 5.0]}
monitors = {"spikes": "E.spike"}
duration = 20.0

def build(ref=0.0):
    if ref:
        return bb.Network(E=bb.LifRef(2, V_rest=0., V_reset=0., V_th=1., tau=10., tau_ref=ref, I_bias=2.5))
    return bb.Network(E=bb.LIF(2, V_rest=0., V_reset=0., V_th=1., tau=10., I_bias=2.5))

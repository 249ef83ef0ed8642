"""Two regularly firing neurons with a 5 ms refractory period and no noise (saved step indices)."""
import brainbatch as bb

params = {"drive": 1.5}
sweep = {"drive": [1.5, 2.5]}
monitors = {"spikes": "E.spike", "V": "E.V"}
duration = 27.0  # both drives spiked within 5 ms of the end: refractory at the end of the run


def build(drive=1.5):
    return bb.Network(E=bb.LifRef(2, V_rest=0.0, V_reset=0.0, V_th=1.0, tau=10.0, tau_ref=5.0, I_bias=drive))

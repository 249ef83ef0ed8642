"""Two populations of identical, regularly firing neurons and a quiet AdEx pair: every run's numbers
are known without simulating (tests/sweep/test_user_numbers.py). Each neuron starts at rest and fires
at the same times, so a population's mean rate is the same at any size."""
import brainbatch as bb

monitors = {"spikes_E": "E.spike", "spikes_I": "I.spike", "V_E": ("E.V", [1, 3]), "ref_I": "I.refractory",
            "w_A": "A.w", "count_E": bb.Monitor("E.spike", reduce="sum")}
duration = 50.0
dt = 0.1


def build(n_e=4, bias=20.0, tau_w=30.0):
    def group(n):
        return bb.LifRef(n, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, I_bias=bias,
                         V_initializer=bb.Constant(-60.0))

    return bb.Network(E=group(n_e), I=group(2), A=bb.AdEx(2, tau_w=tau_w))

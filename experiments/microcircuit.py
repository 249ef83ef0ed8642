"""Potjans & Diesmann (2014) cortical microcircuit: 8 populations (L2/3, L4, L5, L6; E and I), 64 pathways.

NEST's published PyNEST parameters (``Potjans_2014/network_params.py``, ``helpers.py``, ``network.py`` of
NEST 3.4 and later, now the INM-6 ``microcircuit-PD14-model`` repository): iaf_psc_exp neurons
(``LifRef(..., C_m=250 pF, method="exact")``: E_L = V_reset = -65 mV, V_th -50 mV, tau_m 10 ms, t_ref 2 ms),
initial V from NEST's default ``V0_type="optimized"`` (a normal per population, ``V0_MEAN`` / ``V0_SD``;
``v0="original"``: N(-58, 10) mV for all, as in the 2014 paper), exponential current synapses with
tau_syn 0.5 ms; pathways with NEST's ``fixed_total_number`` rule (multapses and autapses allowed), the
number of synapses from the connection probabilities (``K = log(1 - p) / log(1 - 1/(N_pre N_post))``);
weights N(w, 0.1 w) redrawn on the wrong side of 0, w = 87.8 pA (a 0.15 mV PSP), -4 w from inhibitory
sources, 2 w from L4E to L2/3E; delays N(1.5, 0.75) ms from E and N(0.75, 0.375) ms from I, rounded to
steps of dt and redrawn below dt and above mean + 5 sd (NEST redraws only below dt / 2, so its draws in
[dt / 2, dt) are one-step delays: 2.5 % of the inhibitory and 0.96 % of the excitatory synapses have one
step there, 1.4 % and 0.51 % here: the library's delay truncation, ``core.initializers.truncate``);
Poisson background at 8 Hz from K_ext sources per neuron, into the excitatory synaptic current
(``PoissonInput`` onto the synapse), or its mean as DC (``bg_dc=True``).

``scale`` multiplies the neuron numbers, ``k_scale`` the in-degrees; for ``k_scale < 1`` weights grow
by 1/sqrt(k_scale) and a DC input restores each population's mean input at NEST's full-scale rates
(``FULL_MEAN_RATES``; NEST's ``adjust_weights_and_input_to_synapse_scaling``). Full scale: 77,169
neurons, 298,880,968 synapses; ``scale x k_scale`` at most 7.18 (2^31 - 1 synapses: one table's int32 indices). The store keeps no connectivity (``save_connectivity=False``): the seed
redraws it. With ``graph_seed=G`` every run simulates the network run seed G draws, and a batch of seeds
holds one copy of it (docs/large-models.md).

    brainbatch sweep experiments/microcircuit.py --seeds 1                      # scale 0.1, k_scale 0.1
    brainbatch sweep experiments/microcircuit.py -p scale=1 -p k_scale=1 --seeds 1   # full scale
    brainbatch sweep experiments/microcircuit.py -p graph_seed=0 --seeds 8            # one network, 8 noise seeds
"""
import numpy as np

import brainbatch as bb
from _analysis import per_cell, unfinished
from brainbatch.errors import did_you_mean

POPS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
N_FULL = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
#: full-scale rates (Hz) NEST publishes with the model, used for the DC compensation of k_scale < 1
#: (``full_mean_rates`` of NEST's network_params.py since NEST 3.4 and of microcircuit-PD14-model; NEST
#: 2.12-2.20 had 0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523, which at scale 0.1 gave L4I 7.0 Hz
#: where NEST's own scale-0.1 reference data has 5.0 Hz)
FULL_MEAN_RATES = np.array([0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829])
#: connection probabilities, [target][source]
CONN_PROBS = np.array([
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]])
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
C_M, TAU_M, TAU_SYN, T_REF, E_L, V_TH = 250.0, 10.0, 0.5, 2.0, -65.0, -50.0
PSP_E, PSP_REL_SD, G, BG_RATE = 0.15, 0.1, -4.0, 8.0
DELAY_E, DELAY_I, DELAY_REL_SD = 1.5, 0.75, 0.5
#: initial membrane potentials (mV): NEST's default ``V0_type="optimized"``, a normal per population
V0_MEAN = np.array([-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43])
V0_SD = np.array([5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48])
V0_ORIGINAL = (-58.0, 10.0)  # ``V0_type="original"``: one normal for every population (the 2014 paper)
V0_TYPES = ("optimized", "original")
T_STAT = 100.0  # ms: rates leave out the transient from V0
MAX_SYNAPSES = 2**31 - 1  # one Pathways table indexes its synapses with int32

monitors = {f"spikes_{p}": f"{p}.spike" for p in POPS}
duration = 1000.0
dt = 0.1
static = ("scale", "k_scale")  # they set sizes


def psc_over_psp(c_m=C_M, tau_m=TAU_M, tau_syn=TAU_SYN):
    """pA of PSC per mV of PSP peak for an exponential current into a LIF (NEST's helpers).

    >>> round(psc_over_psp() * 0.15, 2)
    87.81
    """
    sub = 1.0 / (tau_syn - tau_m)
    pre = tau_m * tau_syn / c_m * sub
    frac = (tau_m / tau_syn) ** sub
    return 1.0 / (pre * (frac ** tau_m - frac ** tau_syn))


def full_num_synapses():
    """Synapses of each pathway at full scale, [target][source]: ``log(1 - p) / log(1 - 1/(N_t N_s))``."""
    prod = np.outer(N_FULL, N_FULL)
    return np.log(1.0 - CONN_PROBS) / np.log((prod - 1.0) / prod)


class ParameterError(bb.BrainbatchError, ValueError):
    """A parameter of the microcircuit outside what NEST's model allows."""


def _check_scales(scale, k_scale):
    """``scale`` and ``k_scale`` as NEST's ``N_scaling`` and ``K_scaling``: positive, finite, and every population
    keeps a neuron (0 or a negative value failed later as an infinite weight or a group of size 0)."""
    for name, value in (("scale", scale), ("k_scale", k_scale)):
        if not (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
                and np.isfinite(value) and value > 0):
            raise ParameterError(f"{name} must be a positive number (1 is the full model), got {value!r}")
    n = np.round(N_FULL * scale)
    if (n < 1).any():
        i = int(np.argmin(n))
        least = np.ceil(0.5 / N_FULL.min() * 1e5) / 1e5
        raise ParameterError(f"scale={scale!r} leaves population {POPS[i]} with no neuron ({N_FULL[i]} x {scale!r} "
                             f"rounds to 0): give scale >= {least:g}")
    total = int(np.round(full_num_synapses() * scale * k_scale).astype(np.int64).sum())
    if total > MAX_SYNAPSES:  # the table's row starts and synapse indices are int32: a raw OverflowError in the draw
        top = MAX_SYNAPSES / int(np.round(full_num_synapses()).astype(np.int64).sum())
        raise ParameterError(f"scale={scale!r} with k_scale={k_scale!r} makes {total:,} synapses (298,880,968 x "
                             f"scale x k_scale), more than one table of brainbatch holds ({MAX_SYNAPSES:,}: int32 "
                             f"indices); give scale x k_scale <= {np.floor(top * 100) / 100:g}")


def _dc_parts(scale, k_scale, bg_dc):
    """The DC (pA per population) as ``fixed + per_hz * bg_rate``: NEST's DC that replaces the Poisson
    background (``dc_input_compensating_poisson``) and its compensation of scaled in-degrees
    (``adjust_weights_and_input_to_synapse_scaling``) both use the background rate the model runs with."""
    _check_scales(scale, k_scale)
    w_exc = psc_over_psp() * PSP_E
    w = np.tile([w_exc, G * w_exc], (8, 4))
    w[0, 2] = 2 * w_exc  # L4E -> L2/3E doubled
    ext = 0.001 * TAU_SYN * w_exc * K_EXT  # mean current (pA) of the background per Hz
    fixed, per_hz = np.zeros(8), ext if bg_dc else np.zeros(8)
    if k_scale != 1:
        indegree = full_num_synapses() / N_FULL[:, None]
        fixed = fixed + 0.001 * TAU_SYN * (1.0 - np.sqrt(k_scale)) * np.sum(w * indegree * FULL_MEAN_RATES, axis=1)
        if not bg_dc:
            per_hz = per_hz + (1.0 - np.sqrt(k_scale)) * ext
    return w, w_exc, fixed, per_hz


def derived(scale=0.1, k_scale=0.1, bg_dc=False, bg_rate=BG_RATE):
    """Neuron and synapse numbers, mean weights (pA) and DC (pA) for these scalings, as NEST derives them
    (``Network.__derive_parameters`` of NEST's ``network.py``)."""
    w, w_ext, fixed, per_hz = _dc_parts(scale, k_scale, bg_dc)
    n = np.round(N_FULL * scale).astype(int)
    num_syn = np.round(full_num_synapses() * scale * k_scale).astype(int)
    k_ext = np.round(K_EXT * k_scale).astype(int)
    if k_scale != 1:
        w, w_ext = w / np.sqrt(k_scale), w_ext / np.sqrt(k_scale)
    # dc_fixed + dc_per_hz * bg_rate is dc: build() keeps them apart, as bg_rate may be traced (swept)
    return dict(n=n, num_syn=num_syn, k_ext=k_ext, w=w, w_ext=w_ext, dc=fixed + per_hz * bg_rate, dc_fixed=fixed,
                dc_per_hz=per_hz)


def v0_normal(v0="optimized"):
    """(mean, sd) of the initial membrane potential (mV) per population for NEST's ``V0_type``."""
    if v0 not in V0_TYPES:
        hint = did_you_mean(v0, V0_TYPES) if isinstance(v0, str) else ""
        raise ParameterError(f"v0 must be one of {', '.join(map(repr, V0_TYPES))}, got {v0!r}.{hint}".rstrip("."))
    if v0 == "original":
        return np.full(8, V0_ORIGINAL[0]), np.full(8, V0_ORIGINAL[1])
    return V0_MEAN, V0_SD


def build(scale=0.1, k_scale=0.1, bg_dc=False, bg_rate=BG_RATE, v0="optimized", save_connectivity=False,
          graph_seed=None):
    d = derived(scale, k_scale, bg_dc)
    dc_fixed, dc_per_hz = d["dc_fixed"], d["dc_per_hz"]
    v0_mean, v0_sd = v0_normal(v0)
    groups = {
        p: bb.LifRef(int(d["n"][i]), V_rest=E_L, V_reset=E_L, V_th=V_TH, tau=TAU_M, tau_ref=T_REF, C_m=C_M,
                     method="exact", V_initializer=bb.Normal(float(v0_mean[i]), float(v0_sd[i])),
                     I_bias=float(dc_fixed[i]) + float(dc_per_hz[i]) * bg_rate, name=p)
        for i, p in enumerate(POPS)
    }
    weight = [[bb.Normal(float(d["w"][h, g]), abs(float(d["w"][h, g])) * PSP_REL_SD, keep_sign=True)
               for g in range(8)] for h in range(8)]
    delay = [[bb.Normal(m, m * DELAY_REL_SD) for m in (DELAY_E, DELAY_I) * 4] for _ in range(8)]
    rec = bb.Pathways(groups, groups, bb.FixedTotalNumber.table(d["num_syn"]), bb.Exponential(TAU_SYN), bb.CUBA(),
                      weight=weight, delay=delay, save_connectivity=save_connectivity, graph_seed=graph_seed)
    nodes = dict(groups, rec=rec)
    if not bg_dc:
        for i, p in enumerate(POPS):
            nodes[f"bg_{p}"] = bb.PoissonInput(rec.syn[p], num_input=int(d["k_ext"][i]), freq=bg_rate,
                                               weight=float(d["w_ext"]))
    return bb.Network(**nodes)


def rates(rasters, dt=0.1, t_stat=T_STAT):
    """Mean rate (Hz) of each population over ``[t_stat, end)`` from ``{pop: bool (time, neuron)}``."""
    start = int(round(t_stat / dt))
    out = {}
    for p, r in rasters.items():
        r = np.asarray(r)[start:]
        out[p] = float(r.sum() / (r.shape[1] * r.shape[0] * dt / 1000.0))
    return out


def analyse(ds):
    """Per population: mean rate (Hz) after 100 ms, over the seeds, for each swept value (each combination of the
    axes with more than one value), or over all runs when nothing is swept; finished runs only."""
    out, done = {}, ds.get("done")  # a combination with no finished run is named, not given a line of NaN
    for p in POPS:
        rate = ds.bb.rates(var=f"spikes_{p}", t0=T_STAT)
        for key, value in per_cell(rate.mean(rate.dims[-1]), done).items():
            out[f"{p}, {key}" if key else p] = f"{value:.3f} Hz"
    return {**out, **unfinished(rate.mean(rate.dims[-1]), done)}

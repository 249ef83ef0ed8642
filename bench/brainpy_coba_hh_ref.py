"""Reference rates for docs/brainpy/coba_hh.py from BrainPy 2.8.2 itself (run in a venv with brainpy==2.8.2).

    python bench/brainpy_coba_hh_ref.py 300 5 1.0    # duration (ms), number of seeds, network scale

Loads docs/brainpy/coba_hh.py with its two imports switched back to BrainPy, runs it for seeds
0..n-1 (``bm.random.seed(s)`` before the network is built, as BrainPy scripts seed), and prints the
mean rate per seed, with the weights as given and with zero weights. The numbers are recorded in
docs/brainpy/README.md and tests/brainpy/test_ported_scripts.py.
"""
import pathlib
import sys
import types

import brainpy as bp
import brainpy.math as bm
import numpy as np

src = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "brainpy" / "coba_hh.py").read_text()
src = src.replace("import brainbatch.brainpy as bp", "import brainpy as bp")
src = src.replace("import brainbatch.brainpy.math as bm", "import brainpy.math as bm")
module = types.ModuleType("coba_hh_brainpy")
exec(compile(src, "coba_hh.py", "exec"), module.__dict__)

duration = float(sys.argv[1]) if len(sys.argv) > 1 else 300.
seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
for w_scale in (1.0, 0.0):
    rates = []
    for s in range(seeds):
        bm.random.seed(s)
        spikes = np.asarray(module.run(duration, w_scale=w_scale, scale=scale))
        rates.append(spikes.mean() * 1000. / bm.get_dt())
    print(f"w_scale={w_scale}: rates {np.round(rates, 2).tolist()} mean {np.mean(rates):.2f} "
          f"std {np.std(rates, ddof=1):.2f} Hz ({duration} ms, scale {scale}, BrainPy {bp.__version__})")

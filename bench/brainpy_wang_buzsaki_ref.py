"""Reference rates for docs/brainpy/wang_buzsaki_gamma.py from BrainPy 2.8.2 (a venv with brainpy==2.8.2).

    python bench/brainpy_wang_buzsaki_ref.py 500 5     # duration (ms), number of seeds

Runs the file with its imports switched back to BrainPy, ``bm.random.seed(s)`` for s = 0..n-1, and
prints the mean rate per seed, with the coupling as given and without it (g_total = 0).
"""
import pathlib
import sys
import types

import brainpy as bp
import brainpy.math as bm
import numpy as np

src = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "brainpy" / "wang_buzsaki_gamma.py").read_text()
src = src.replace("import brainbatch.brainpy as bp", "import brainpy as bp")
src = src.replace("import brainbatch.brainpy.math as bm", "import brainpy.math as bm")
duration = float(sys.argv[1]) if len(sys.argv) > 1 else 500.
seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
for g_total in (0.1, 0.0):
    rates = []
    for s in range(seeds):
        module = types.ModuleType("wb_brainpy")
        exec(compile(src, "wang_buzsaki_gamma.py", "exec"), module.__dict__)
        bm.random.seed(s)
        mon = module.run(duration, g_total=g_total)
        rates.append(np.asarray(mon['neu.spike']).mean() * 1000. / bm.get_dt())
    print(f"g_total={g_total}: rates {np.round(rates, 2).tolist()} mean {np.mean(rates):.2f} "
          f"std {np.std(rates, ddof=1):.2f} Hz ({duration} ms, BrainPy {bp.__version__})")

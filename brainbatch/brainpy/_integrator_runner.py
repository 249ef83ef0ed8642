"""``bp.IntegratorRunner``: BrainPy's runner of an integral (``bp.odeint`` / ``bp.sdeint``) on its own, as its
ODE and SDE tutorials use it: the variables start from ``inits``, each step calls the integral with the
variables, ``t``, ``dt`` and the ``args`` / per-step ``dyn_args``, and the monitors record the variables
after each step (``mon.ts``: the step's end). One compiled loop per run; a second ``run`` continues.

>>> import numpy as np, brainbatch.brainpy as bp
>>> f = bp.odeint(lambda x, t, k: -k * x, method='rk4')
>>> r = bp.IntegratorRunner(f, monitors=['x'], inits=[1.0], dt=0.1, progress_bar=False)
>>> r.run(1.0, args={'k': 2.0})
>>> round(float(r.mon.x[-1, 0]), 5)  # exp(-2): 0.13534
0.13534
"""
from __future__ import annotations

import time
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ..core import share
from ..core.context import environment
from ..core.graph import GraphNode
from ..core.transforms import functional, resolve_variables
from ..core.variable import Variable, unwrap
from ..models.inputs import float_dtype
from ._odeint import time_step
from ._runner import Monitors
from .math import random

__all__ = ["IntegratorRunner"]


def _mapping(name: str, value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"IntegratorRunner: {name} must be a dict of the integral's parameters by name, "
                        f"got {type(value).__name__} {value!r}")
    return dict(value)


class IntegratorRunner:
    """Run ``target`` (an integral of ``bp.odeint``/``bp.sdeint``) from ``inits`` (a dict by variable, or one
    value per variable in order); ``monitors`` lists variables (or maps names to them)."""

    def __init__(self, target: Callable, inits: Any = None, dt: float | None = None, monitors: Any = None,
                 dyn_vars: Any = None, jit: Any = True, numpy_mon_after_run: bool = True, progress_bar: bool = True,
                 args: dict | None = None, dyn_args: dict | None = None, fun_monitors: dict | None = None) -> None:
        names = getattr(target, "variables", None)
        if not callable(target) or not isinstance(names, list):
            raise TypeError(f"IntegratorRunner runs an integral of bp.odeint or bp.sdeint, got {target!r}")
        if fun_monitors:
            raise TypeError("IntegratorRunner(fun_monitors=...) is not supported; monitor variables by name")
        self.target, self.names = target, list(names)
        if inits is None:
            inits = {}
        elif isinstance(inits, (list, tuple)) or np.ndim(unwrap(inits)) == 1 and not isinstance(inits, dict):
            if len(inits) != len(self.names):
                raise ValueError(f"IntegratorRunner: inits gives {len(inits)} values for the variables {self.names}")
            inits = dict(zip(self.names, inits))
        if not isinstance(inits, dict):
            raise TypeError(f"IntegratorRunner: inits must be a dict by variable or a list in order, got {inits!r}")
        unknown = [k for k in inits if k not in self.names]
        if unknown:
            from ..core.errors import did_you_mean

            raise ValueError(f"IntegratorRunner: inits names {unknown[0]!r}, not a variable of the integral "
                             f"({self.names}).{did_you_mean(unknown[0], self.names)}")
        sizes = {k: int(np.size(unwrap(v))) for k, v in inits.items()}
        size = max([*sizes.values(), 1])
        uneven = {k: n for k, n in sizes.items() if n not in (1, size)}
        if uneven:  # one value per run of the batch, or one for all: other lengths failed in XLA's broadcast
            raise ValueError(f"IntegratorRunner: inits give {sizes} values; each variable takes one value or "
                             f"{size} (one per element, as the longest)")
        # JAX's default float, as BrainPy's bm.zeros Variables made here: float64 after bm.enable_x64(), where
        # a float32 cast cut the script's own x64 equations to float32 at every step (the NaK notebook 4e-6 off)
        self._float = float_dtype()
        self.values = {k: jnp.broadcast_to(jnp.asarray(unwrap(inits.get(k, 0.0)), self._float), (size,))
                       for k in self.names}
        if isinstance(monitors, (list, tuple)):
            self.monitors = {m: m for m in monitors}
        elif isinstance(monitors, dict):
            self.monitors = dict(monitors)
        else:
            raise TypeError(f"IntegratorRunner: monitors must list variables of the integral ({self.names}), "
                            f"got {monitors!r}")
        bad = [v for v in self.monitors.values() if v not in self.names]
        if bad:
            from ..core.errors import did_you_mean

            raise ValueError(f"IntegratorRunner: monitor {bad[0]!r} is not a variable of the integral ({self.names})."
                             f"{did_you_mean(bad[0], self.names)}")
        self.dt = float(time_step("IntegratorRunner", share.dt if dt is None else dt))
        self.progress_bar = progress_bar
        self._dyn_vars = [] if dyn_vars is None else list(dyn_vars.values()) if isinstance(dyn_vars, dict) else \
            list(dyn_vars) if isinstance(dyn_vars, (list, tuple)) else [dyn_vars]
        self._args, self._dyn_args = _mapping("args", args), _mapping("dyn_args", dyn_args)
        self.start_t = 0.0
        self.mon = Monitors()

    def run(self, duration: float, start_t: float | None = None, eval_time: bool = False, args: dict | None = None,
            dyn_args: dict | None = None) -> Any:
        """Run ``duration`` ms (from ``start_t``, else where the last run ended); ``args`` are fixed, ``dyn_args``
        hold one row per step."""
        args = {**_mapping("args", args), **self._args}
        dyn = {k: jnp.asarray(unwrap(v)) for k, v in {**_mapping("dyn_args", dyn_args), **self._dyn_args}.items()}
        # BrainPy 2.8.2 keeps where the last run ended in a float32 Variable, so a run that goes on from there
        # counts its steps as bm.arange(start, start + duration, dt) in float32: 0.6 ms at dt 0.01 is 61 steps
        # (0.6 rounds up to 0.60000002), as its Multiscroll notebook runs; a start_t given is a float, as there
        # (that Variable is float64 after bm.enable_x64(), as the variables)
        t_start = jnp.asarray(self.start_t, self._float) if start_t is None else float(start_t)
        try:  # a negative one ran no step without a word
            ok = not isinstance(duration, (str, bytes, bool)) and 0 <= float(unwrap(duration)) < float("inf")
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(f"IntegratorRunner.run: duration must be a time in ms >= 0, got {duration!r}")
        t_end = t_start + float(unwrap(duration))
        times = jnp.arange(t_start, t_end, self.dt)  # BrainPy's bm.arange: the steps' start times
        for k, v in dyn.items():
            if v.ndim == 0:
                raise ValueError(f"IntegratorRunner.run: dyn_args[{k!r}] holds one value per step (an array of "
                                 f"{times.size} rows); a value for every step goes in args")
            if v.shape[0] != times.size:
                raise ValueError(f"IntegratorRunner.run: dyn_args[{k!r}] has {v.shape[0]} rows, the run {times.size} "
                                 f"steps (duration={duration}, dt={self.dt})")
        target, names, monitors, dt = self.target, self.names, self.monitors, self.dt

        def call(values: tuple, row: dict, t: Any, k: Any) -> Any:
            # each step draws its own numbers (an SDE's Wiener increments, a noisy drift): bm.random reads the
            # loop's key and this step, as in bm.for_loop's body; the key was read once while the scan traced,
            # and every step reused one increment (a Wiener process grew linearly, a stochastic Lorenz to NaN)
            snap = share.snapshot()
            try:
                share.save(**{random._LOOP_STEP: k, random._LOOP_I: share.load("i", None), random._STEP_DRAWS: 0})
                return target(*values, t, dt=dt, **args, **row)
            finally:
                share.restore(snap)

        # the Variables a step changes: the integral's delays (state_delays), those of dyn_vars and of the delays
        # or models given in args (BrainPy's delay equations pass their bm.TimeDelay there), carried by the loop
        stateful = functional(call, resolve_variables(
            [x for x in (target, *self._dyn_vars, *args.values()) if isinstance(x, (GraphNode, Variable))]),
            "IntegratorRunner")

        def step(carry: tuple, xs: tuple) -> tuple:
            values, state = carry
            row, t, k = xs
            state, out = stateful.pure(state, {}, values, row, t, k)
            new = (out,) if len(names) == 1 else tuple(out)
            new = tuple(jnp.asarray(v, self._float) for v in new)
            return (new, state), {m: new[names.index(v)] for m, v in monitors.items()}

        # a run's key: the next of bm.random's stream (bm.random.seed(s) repeats a run, the next run draws others)
        key = random.stream_key() if share.key is None else random._key()
        steps = jnp.arange(times.size, dtype=jnp.uint32)
        begin = time.perf_counter()
        with environment(key=key):
            (final, state), recs = jax.jit(lambda c, xs: jax.lax.scan(step, c, xs))(
                (tuple(self.values[k] for k in names), stateful.state()), (dyn, times, steps))
        elapsed = time.perf_counter() - begin
        stateful.write_back(state)
        self.values = dict(zip(names, final))
        mon = Monitors({k: np.asarray(v) for k, v in recs.items()})
        mon["ts"] = np.asarray(times + self.dt)
        self.mon = mon
        self.start_t = float(t_end)
        return elapsed if eval_time else None

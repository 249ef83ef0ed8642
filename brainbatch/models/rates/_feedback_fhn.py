"""``FeedbackFHN``: FitzHugh-Nagumo nodes with delayed self-feedback (Plant 1981; BrainPy's ``FeedbackFHN``)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...core.checks import is_real, is_traced
from ...core.delays import MAX_DELAY_STEPS
from ...core.initializers import Uniform
from ...core.modes import Mode
from ...core.variable import Variable
from ._xy import NOISE_UNITS, XYRateModel

__all__ = ["FeedbackFHN"]


def _delay_steps(delay: Any, dt: float) -> int:
    """BrainPy's ``TimeDelay`` length less one: ``ceil(delay / dt)`` (in float32, as BrainPy computes it), at most a
    delay buffer's ``MAX_DELAY_STEPS`` (the history holds that many steps of every node)."""
    with np.errstate(over="ignore"):  # 1e40 ms is inf steps in float32: refused below, not cast to int
        steps = float(np.ceil(np.float32(delay / dt)))
    if steps > MAX_DELAY_STEPS:
        raise ValueError(f"FeedbackFHN: delay {delay:g} ms is {steps:.0f} steps of dt={dt:g} ms, more than a delay buffer "
                         f"holds ({MAX_DELAY_STEPS} steps, {MAX_DELAY_STEPS * dt:g} ms at this dt)")
    return int(steps)


class FeedbackFHN(XYRateModel):
    r"""FitzHugh-Nagumo nodes fed back their own past ``x`` (BrainPy 2.8.2's ``FeedbackFHN``)::

        dx/dt = x - x^3 / 3 - y + I_x + mu (x(t - delay) - v0)
        dy/dt = (x + a - b y + I_y) / tau

    ``I_x``/``I_y``, the OU noise and the step order are ``FHN``'s (``XYRateModel``). The past is
    BrainPy's ``TimeDelay(interp_method='round')``: ``x(t - delay)`` is x at the start of the step
    ``D = ceil(delay / dt)`` steps back, 0 before the run, ``x(0)`` at exactly ``D`` steps. It is read
    once per step, at ``t`` (exact for ``exp_euler``/``euler``; BrainPy's ``rk2``/``rk4`` read again
    at their inner times). ``delay`` is one concrete number of ms for all nodes, as in BrainPy; the
    buffer's length follows the ``dt`` in force at ``reset_state``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> fhn = FeedbackFHN(1, delay=2., x_initializer=bb.Constant(0.), y_initializer=bb.Constant(0.))
    >>> fhn.x_history.shape   # 20 steps of past, and x(0)
    (1, 21)
    >>> xs = bb.for_loop(lambda i: fhn.step_run(i, 0.2), jnp.arange(300), dyn_vars=fhn)  # 30 ms
    >>> bool(xs.max() > 2.0)
    True
    """

    # made by reset_state: declared for the type checker only
    x_history: Variable
    history_idx: Variable

    #: units (docs/units.md): x and y are plain numbers, times in ms
    param_units = {"a": u.UNITLESS, "b": u.UNITLESS, "delay": u.ms, "tau": u.ms, "mu": u.UNITLESS,
                   "v0": u.UNITLESS, **NOISE_UNITS}

    _x_description, _y_description = "fast variable", "recovery variable"

    def __init__(self, size: Any, keep_size: bool = False, a: Any = 0.7, b: Any = 0.8, delay: Any = 10.0,
                 tau: Any = 12.5, mu: Any = 1.6886, v0: Any = -1.0, x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0,
                 x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0.0, 0.05), y_initializer: Any = Uniform(0.0, 0.05),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None,
                 input_var: bool = True) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        # a real number first: float('abc') failed without the parameter's name, and float(True) was 1 ms
        real = is_real(delay) or (hasattr(delay, 'dtype') and np.ndim(delay) == 0 and not is_traced(delay)
                                  and np.issubdtype(np.asarray(delay).dtype, np.number))
        if is_traced(delay) or not real or not np.isfinite(float(delay)) or float(delay) < 0:
            raise ValueError(f"FeedbackFHN: delay must be one concrete number of ms >= 0 (it sets the length of "
                             f"the history buffer; BrainPy takes a single value too), got {delay!r}")
        self.delay = float(delay)
        self.a, self.b, self.tau = self.param("a", a), self.param("b", b), self.param("tau", tau, positive=True)
        self.mu, self.v0 = self.param("mu", mu), self.param("v0", v0)
        self._setup((x_ou_mean, x_ou_sigma, x_ou_tau), (y_ou_mean, y_ou_sigma, y_ou_tau), x_initializer,
                    y_initializer, input_var)

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        self._steps = _delay_steps(self.delay, share.dt)
        self._dt = share.dt
        # the last axis is time: slot idx holds x at the start of the step D steps back; BrainPy's rows
        # are 0 before t0 and x(0) in the last slot, read when the D-th step starts
        hist = self.init_variable("x_history", 0.0, shape=tuple(self.varshape) + (self._steps + 1,),
                                  batch_size=batch_size, description="x over the last delay/dt steps (ring buffer)")
        hist.value = hist.value.at[..., -1].set(self.x.value)
        self.init_variable("history_idx", 0, shape=(), dtype=jnp.int32, batched=False,
                           description="the ring buffer's oldest slot")

    def dxdy(self, x: Any, y: Any, x_ext: Any, y_ext: Any, x_past: Any = 0.0) -> tuple:
        dx = x - x * x * x / 3 - y + x_ext + self.mu * (x_past - self.v0)
        dy = (x + self.a - self.b * y + y_ext) / self.tau
        return dx, dy

    def update(self, inp_x: Any = None, inp_y: Any = None) -> jax.Array:
        if share.dt != self._dt:
            raise ValueError(f"FeedbackFHN: its delay buffer was built for dt = {self._dt} ms, the run uses "
                             f"dt = {share.dt} ms; call reset_state() under the run's dt")
        x_ext, y_ext = self.external_inputs(inp_x, inp_y)
        idx = self.history_idx.value
        x_past = jnp.take(self.x_history.value, idx, axis=-1)
        x, y = self.integrate(self.derivative, (self.x.value, self.y.value), x_ext, y_ext, x_past)
        self.x.value, self.y.value = x, y
        self.x_history.value = self.x_history.value.at[..., idx].set(x)
        self.history_idx.value = (idx + 1) % (self._steps + 1)
        return x

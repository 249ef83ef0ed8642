"""What every spiking neuron group shares: checked parameters, the integrator, ``input`` and ``spike``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from ...core import NeuGroup, share
from ...core.errors import ParameterShapeError
from ...core.initializers import Initializer, parameter
from ...core.node import mark_external_input
from ...core.modes import Mode
from ...core.checks import fits_shape, is_bool, is_traced, refuse_beyond_float32
from ...core.units import in_units_of
from ...core.variable import Variable
from ...integrators import get_integrator

__all__ = ["SpikingNeuron", "MembraneNoise", "is_concrete", "check_param", "check_initializer"]


def is_concrete(x: Any) -> bool:
    """Whether ``x`` holds known numbers (not a tracer of jit/vmap), so Python can check it."""
    return not is_traced(x)


def check_param(name: str, value: Any, shape: Sequence[int], *, positive: bool = False,
                nonnegative: bool = False) -> Any:
    """``value`` as a model parameter: scalar, per-neuron array or JAX value (possibly traced).

    Concrete values are checked here (finite; ``> 0`` or ``>= 0`` when asked) and the error names
    them; traced values (a sweep vmapping over the parameter) pass unchecked, since Python cannot
    look at them.

    >>> check_param("tau", 10.0, (3,), positive=True)
    10.0
    """
    if is_bool(value) or isinstance(value, str):
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}")
    if is_concrete(value) and np.iscomplexobj(value):  # it lost its imaginary part with only a ComplexWarning
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {value!r}")
    value = parameter(value, shape, name=name)
    if is_concrete(value):
        arr = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite, got {value!r}")
        refuse_beyond_float32(name, arr, value)
        if positive and not np.all(arr > 0):
            raise ValueError(f"{name} must be > 0, got {value!r}")
        if nonnegative and not np.all(arr >= 0):
            raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def check_initializer(name: str, init: Any, allow_none: bool = False) -> Any:
    """An initial-value spec: an ``Initializer``, a callable ``(shape, dtype, key)``, a number or an array."""
    if init is None and allow_none:
        return None
    if isinstance(init, (int, float, np.ndarray, jax.Array)) and not is_bool(init):
        arr = None if is_traced(init) else np.asarray(init)
        if arr is not None and arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
            # a NaN or infinite start: every value after it is NaN, silently
            raise ValueError(f"{name} must be finite, got {init!r}")
        if arr is not None and arr.dtype.kind in "fiu":
            refuse_beyond_float32(name, arr, init)
        return init
    if isinstance(init, Initializer):
        return init
    if callable(init):
        return init
    raise TypeError(
        f"{name} must be an initializer (e.g. Constant(-60.), Uniform(-70., -60.), Normal(-55., 2.)), "
        f"a callable (shape, dtype, key), a number or an array; got {init!r}"
    )


if TYPE_CHECKING:  # mixed into NeuGroup subclasses (the spiking neurons, LeakyIntegrator)
    _Host = NeuGroup
else:
    _Host = object


class MembraneNoise(_Host):
    """BrainPy's ``noise=``: additive Wiener noise on one state, ``dx = f dt + noise dW``.

    BrainPy 2.8.2 turns the integral into ``sdeint(f, g=noise)`` with the group's method; for every neuron
    with ``noise=`` its diffusion tuple is ``(noise, None, ...)``, so only the first variable of the
    equations gets noise (V everywhere but ``Gif``, whose first is I1), and ``exp_auto`` integrates the
    drift as before, then adds ``noise sqrt(dt) xi``. One draw per element and step from the group's step
    key (docs/random.md), so a lane of a batch equals its run alone.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> g = bb.LIF(2, V_th=1e9, noise=[0., 1.])  # one amplitude per neuron; 0 keeps that one noiseless
    >>> _ = bb.for_loop(lambda i: g.step_run(i), jnp.arange(100), dyn_vars=g)
    >>> float(g.V.value[0]), bool(g.V.value[1] != 0.0)
    (0.0, True)
    """

    #: the noise amplitude (the noisy state's unit per sqrt(ms)), or None: set by ``set_noise``
    noise: Any = None

    def set_noise(self, noise: Any) -> None:
        """``noise`` checked (a number or one per neuron, >= 0), or None for a noiseless model."""
        if noise is None:
            self.noise = None
            return
        try:
            self.noise = check_param("noise", noise, self.varshape, nonnegative=True)
        except ParameterShapeError:
            raise ParameterShapeError(f"noise must be a number or one value per neuron (shape {tuple(self.varshape)}), got "
                             f"shape {np.shape(noise)}: BrainPy's noise= is one amplitude on one variable") from None

    def membrane_noise(self, x: jax.Array) -> jax.Array:
        """``x + noise sqrt(dt) xi`` (Euler-Maruyama's ``noise dW``), ``xi`` a standard normal per element from
        this group's step key (each run and lane its own); ``x`` itself when there is no noise."""
        if self.noise is None:
            return x
        xi = jax.random.normal(self.step_key(), jnp.shape(x), jnp.float32)
        return x + jnp.asarray(self.noise, jnp.float32) * jnp.sqrt(jnp.float32(share.dt)) * xi


class SpikingNeuron(MembraneNoise, NeuGroup):
    """Base of the neuron models: picks the integrator and creates ``input`` and ``spike``.

    Subclasses set their parameters with ``self.param`` and call ``self.reset_state()`` at the end of
    ``__init__``; in ``reset_state`` they call ``self.init_input_and_spike(batch_size)``.
    """

    # made by init_input_and_spike: declared for the type checker only
    input: Variable
    spike: Variable

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.method = method
        self._integrator = get_integrator(method)  # an unknown name fails here, with suggestions

    def param(self, name: str, value: Any, *, positive: bool = False, nonnegative: bool = False) -> Any:
        """Check a parameter against this group's shape (see ``check_param``)."""
        return check_param(name, value, self.varshape, positive=positive, nonnegative=nonnegative)

    #: Units of the input current ``I`` (a store writes them with ``input``; a CUBA weight onto the group takes
    #: them): ``R * I`` is in mV, so with the default ``R = 1`` currents are in mV. HH and Izhikevich say their own.
    current_units = "mV"
    #: Units of ``input`` where they are not ``current_units`` (``CondNeuGroupLTC``: nA, scaled by ``1e-3 / A`` into
    #: the density its channels and synapses add up in); None: ``current_units``
    input_units: str | None = None

    def init_input_and_spike(self, batch_size: int | None = None) -> None:
        self.init_variable("input", 0.0, batch_size=batch_size, units=self.input_units or self.current_units,
                           description="external input current I, added to I(t) and zeroed after every step")
        self.init_variable("spike", False, batch_size=batch_size, dtype=jnp.bool_, units="1", kind="spikes",
                           description="whether the neuron spiked in this step")

    def add_external(self, x: Any) -> None:
        """BrainPy's ``update(x)``: ``x`` adds to this step's ``input`` (a quantity in the input's unit)."""
        if x is not None:
            x = in_units_of("x", x, self.input.units, type(self).__name__)
            if not fits_shape(jnp.shape(x), self.input.shape):  # JAX said only "add got incompatible shapes"
                raise ParameterShapeError(f"{type(self).__name__} {self.name!r}: update(x) got x of shape {jnp.shape(x)}, "
                                          f"which does not broadcast to the group's input of shape {self.input.shape} "
                                          "(one value, or one per neuron)")
            self.input.value = self.input.value + x
            mark_external_input(self)

    def integrate(self, f: Callable, y: Any, *args: Any) -> Any:
        """One step of ``f(y, t, *args)`` from ``share.t`` to ``share.t + share.dt`` with the chosen method."""
        return self._integrator.step(f, y, share.t, share.dt, *args)

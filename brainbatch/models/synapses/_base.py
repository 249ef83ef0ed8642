"""``AbstractSynapse``: synaptic state on the postsynaptic neurons, decaying and receiving spikes."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem, NeuGroup
from ...core.modes import Mode
from ...core.neugroup import normalize_size
from ...core.checks import is_bool, is_traced, refuse_beyond_float32
from ...core.variable import Variable
from .._shape import ShapedOnAttach

__all__ = ["AbstractSynapse", "check_time_constant"]


def check_time_constant(name: str, value: Any) -> Any:
    """A time constant in ms: a positive number, array or JAX value (traced values pass unchecked)."""
    if is_bool(value) or isinstance(value, str) or value is None:
        raise TypeError(f"{name} must be a positive number of ms, got {value!r}")
    if is_traced(value):
        return value  # a sweep vmaps over it: Python cannot look at the values
    if np.iscomplexobj(value):
        raise TypeError(f"{name} must be a positive real number of ms, got {value!r}")
    arr = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or not np.all(arr > 0):
        raise ValueError(f"{name} must be a finite number of ms > 0, got {value!r}")
    refuse_beyond_float32(name, arr, value)  # finite here, inf in the float32 model (no decay at all)
    return value if arr.ndim else float(arr)


class AbstractSynapse(ShapedOnAttach, DynamicalSystem):
    """Synaptic variables of one group of postsynaptic neurons (conductance ``g`` and helpers).

    ``update(x)`` advances one step: the state decays over ``dt`` (exactly: the models are linear),
    then ``x`` (the spikes delivered in this step, already weighted) is added, and the new ``g`` is
    returned; the postsynaptic group reads this ``g`` in the same step. A projection attaches the
    synapse to its postsynaptic group (``size`` may then be left out).

    Subclasses create their Variables in ``reset_state`` and implement ``update``.
    """

    # every synapse's conductance, made by its reset_state: declared for the type checker only
    g: Variable

    update_phase = "deliver"
    unattached_hint = "use it in a Projection, which attaches it to the postsynaptic group"

    #: units of state variables that do not sum weights (docs/units.md); every other state variable
    #: carries the unit of the weights that spikes add to it, which the projection passes to ``attach``
    state_units: dict[str, str] = {}

    def __init__(self, size: Any = None, keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(name=name, mode=mode)
        self.size = None if size is None else normalize_size(size)
        self.keep_size = bool(keep_size)
        self._dims: tuple[str, ...] = ("neuron",)
        self.weight_units = ""

    def add_input_source(self, key: str, fun: Any) -> None:
        """Register ``fun()``: external input added to what the projection delivers, every step.

        ``PoissonInput(syn, ...)`` uses it to put background spikes into a population's synaptic current
        (NEST's Poisson generator onto ``I_syn``): the counts join the delivered spikes before the
        synapse advances, whatever the order of the nodes in the network.
        """
        sources = self.__dict__.setdefault("_input_sources", {})
        if key in sources:
            raise KeyError(f"an input source {key!r} is already registered on {self.name}")
        sources[key] = fun

    def with_sources(self, x: Any) -> Any:
        """``x`` plus this step's external input sources (``add_input_source``)."""
        for fun in self.__dict__.get("_input_sources", {}).values():
            x = fun() if x is None else x + fun()
        return x

    def attach(self, post: NeuGroup, weight_units: str | None = None) -> None:
        """Take the postsynaptic group's geometry (or check it) and create the state; ``weight_units`` is
        the unit of the weights delivered to it, so a recorded ``g`` carries its unit."""
        if self.size is not None and int(np.prod(self.size)) != post.num:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} has size {self.size} but the postsynaptic group "
                f"{post.name!r} has {post.num} neurons"
            )
        self.size, self.keep_size, self._dims = post.size, post.keep_size, post.dims
        self.mode = post.mode  # batching mode must match the group the state lives on
        if weight_units is not None:
            self.weight_units = weight_units
        self.reset_state()

    def state_var(self, name: str, batch_size: int | None, description: str) -> None:
        """Create (or refill) a zero state Variable shaped like the postsynaptic group."""
        self.init_variable(name, 0.0, shape=self.varshape, batch_size=batch_size, dims=self._dims,
                           units=self.state_units.get(name, self.weight_units), description=description)

    def reset_state(self, batch_size: int | None = None) -> None:
        if self.size is not None:
            self.init_state(batch_size)

    def init_state(self, batch_size: int | None = None) -> None:
        """Create the state Variables (size is known)."""
        raise NotImplementedError

    def update(self, x: Any = None) -> jax.Array:
        raise NotImplementedError(f"{type(self).__name__} must implement update()")

    @staticmethod
    def decay(tau: Any, dt: float) -> jax.Array:
        """``exp(-dt / tau)`` in float32 (``tau`` may be traced)."""
        return jnp.exp(-jnp.float32(dt) / jnp.asarray(tau, jnp.float32))

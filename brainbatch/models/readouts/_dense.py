"""``Dense``: a trainable linear readout, fitted offline (ridge) or online (recursive least squares)."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ...core import DynamicalSystem, TrainVar, Variable
from ...core.errors import MissingKeyError
from ...core.initializers import Constant, Initializer
from ...core.modes import Mode
from ...core.checks import check_int, is_real
from ._fit import as_samples, ridge, rls_fit

__all__ = ["Dense", "XavierNormal"]


class XavierNormal(Initializer):
    """Normal weights with variance ``2 / (fan_in + fan_out)`` (Glorot), for a ``(fan_in, fan_out)`` matrix."""

    def __call__(self, shape: Any, dtype: Any = jnp.float32, key: Any = None) -> Any:
        if key is None:
            raise MissingKeyError("XavierNormal draws random numbers and needs a key (pass key=...)")
        fan_in, fan_out = (shape[0], shape[-1]) if len(shape) >= 2 else (shape[0], shape[0])
        return jax.random.normal(key, tuple(shape), dtype) * jnp.sqrt(2.0 / (fan_in + fan_out)).astype(dtype)


class Dense(DynamicalSystem):
    """``y = x @ W + b`` with trainable ``W`` (num_in, num_out) and ``b`` (num_out,).

    ``W`` and ``b`` are drawn in ``reset_state`` from this node's init key, until a fit sets them:
    after ``offline_fit`` / ``online_fit`` a reset keeps the fitted weights. ``alpha`` is the ridge
    penalty of ``offline_fit`` (``|X W + b - Y|^2 + alpha |W|^2``, bias not penalised) and sets
    the initial ``P = I / alpha`` of ``online_fit``'s recursive least squares, which is the same
    regularisation. Inputs to the fits are ``(time, num_in)`` or ``(batch, time, num_in)`` arrays (or
    BrainPy's ``{"input": array}``); targets are ``(..., num_out)`` with the same leading shape.

    >>> import jax, jax.numpy as jnp
    >>> X = jax.random.normal(jax.random.key(0), (200, 3))
    >>> ro = Dense(3, 2)
    >>> ro.offline_fit(X @ jnp.array([[1., 0.], [0., 2.], [1., 1.]]) + 0.5, {"input": X})
    >>> (jnp.round(ro.W.value, 3) + 0.).tolist(), (jnp.round(ro.b.value, 3) + 0.).tolist()
    ([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], [0.5, 0.5])
    """

    # made by reset_state / online_init (init_variable): declared for the type checker only
    W: Variable
    b: Variable | None
    P: Variable

    def __init__(self, num_in: int, num_out: int, W_initializer: Any = XavierNormal(),
                 b_initializer: Any = Constant(0.0), mode: Mode | None = None, name: str | None = None, *,
                 alpha: float = 1e-6):
        super().__init__(name=name, mode=mode)
        self.num_in = check_int("num_in", num_in, minimum=1)
        self.num_out = check_int("num_out", num_out, minimum=1)
        if not is_real(alpha) or not alpha > 0:
            raise ValueError(f"alpha must be a number > 0, got {alpha!r}")
        self.alpha = float(alpha)
        self._W_initializer = W_initializer
        self._b_initializer = b_initializer
        self._fitted = False
        self.reset_state()

    # -- state -----------------------------------------------------------------------------------
    def reset_state(self, batch_size: int | None = None) -> None:
        # weights have no batch axis in any mode: every row of a batch is read out by the same W
        if not self._fitted:
            self.init_variable("W", self._W_initializer, shape=(self.num_in, self.num_out), var_cls=TrainVar,
                               batched=False, dims=("input", "output"), description="readout weights")
            if self._b_initializer is None:
                self.b = None
            else:
                self.init_variable("b", self._b_initializer, shape=(self.num_out,), var_cls=TrainVar,
                                   batched=False, dims=("output",), description="readout bias")

    # -- forward ---------------------------------------------------------------------------------
    def update(self, x: Any) -> jax.Array:
        y = jnp.asarray(x) @ self.W.value
        return y if self.b is None else y + self.b.value

    # -- offline training ------------------------------------------------------------------------
    def offline_init(self) -> None:
        """Nothing to prepare: ridge regression is solved in one go."""

    def offline_fit(self, target: Any, fit_record: Any) -> None:
        """Set ``W``, ``b`` by ridge regression of ``target`` on the recorded inputs."""
        X = as_samples(_inputs(fit_record), self.num_in, "the recorded input")
        Y = as_samples(target, self.num_out, "target")
        if X.shape[0] != Y.shape[0]:
            raise ValueError(f"the recorded input has {X.shape[0]} samples but target has {Y.shape[0]}")
        W, b = ridge(X, Y, self.alpha, with_bias=self.b is not None)
        self.W.value = W
        if b is not None and self.b is not None:
            self.b.value = b
        self._fitted = True

    # -- online training -------------------------------------------------------------------------
    def online_init(self) -> None:
        """Start recursive least squares: ``P = I / alpha`` over the inputs (and the bias)."""
        width = self.num_in + (self.b is not None)
        self.init_variable("P", jnp.eye(width, dtype=jnp.float32) / self.alpha, shape=(width, width),
                           batched=False, dims=("input", "input"), description="RLS inverse input correlation")

    def online_fit(self, target: Any, fit_record: Any) -> None:
        """One RLS update per sample of ``fit_record`` (``(num_in,)`` or ``(..., num_in)``), in order."""
        if not isinstance(self.__dict__.get("P"), Variable):
            self.online_init()
        X = as_samples(_inputs(fit_record), self.num_in, "the recorded input")
        Y = as_samples(target, self.num_out, "target")
        if X.shape[0] != Y.shape[0]:
            raise ValueError(f"the recorded input has {X.shape[0]} samples but target has {Y.shape[0]}")
        bias = self.b
        if bias is not None:
            X = jnp.concatenate([X, jnp.ones((X.shape[0], 1), X.dtype)], axis=1)
            w = jnp.concatenate([self.W.value, bias.value[None]], axis=0)
        else:
            w = self.W.value

        P, w = rls_fit(self.P.value, w, X, Y)
        self.P.value = P
        self.W.value = w[: self.num_in]
        if bias is not None:
            bias.value = w[self.num_in]
        self._fitted = True


def _inputs(fit_record: Any) -> Any:
    """BrainPy passes ``{input name: array}``; accept that, a one-entry dict, or the array itself."""
    if isinstance(fit_record, dict):
        if "input" in fit_record:
            return fit_record["input"]
        if len(fit_record) == 1:
            return next(iter(fit_record.values()))
        raise KeyError(f"fit_record has several entries {sorted(fit_record)}; pass the readout's input as "
                       "fit_record['input'] or as the array itself")
    return fit_record

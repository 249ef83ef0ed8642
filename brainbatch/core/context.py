"""The per-step context: time ``t``, step index ``i``, step size ``dt`` and the run key.

Update code reads ``share.t`` / ``share.i`` / ``share.dt`` (or ``share.load('t')``, the BrainPy
spelling). Transforms save the context before tracing and restore it afterwards, so a tracer never
outlives the transform that made it (see ``core/README.md``).
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator

import jax
import jax.numpy as jnp
import numpy as np

from .errors import did_you_mean, keywords_named
from .units import decimal_float, to_convention

_DEFAULT = {"dt": 0.1}  # the process-wide default step; set_dt changes it for every thread
#: the values every step context can read (``_Share.__getattr__`` gives defaults for the unsaved ones)
_ALWAYS = ("t", "i", "t0", "dt", "key")
#: names other simulators give them, which no text similarity finds (``time`` is one letter of ``t``)
_MEANT = {"time": "t", "step": "i", "index": "i", "t_start": "t0"}


class SharedValues(dict):
    """A dict readable by attribute (``shargs.t``), as BrainPy's ``DotDict``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"the shared values hold {sorted(self)}, not {name!r}") from None


class _Share:
    """Holder of the shared per-step values. One instance, ``share``, lives in this module.

    Values are per thread: the local executor traces models in several threads at once (one per
    device), and each must see its own step, time and key.
    """

    __slots__ = ("_local",)

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def _data(self) -> dict[str, Any]:
        data = getattr(self._local, "data", None)
        if data is None:
            data = self._local.data = {}
        return data

    @_data.setter
    def _data(self, value: dict[str, Any]) -> None:
        self._local.data = value

    def __getattr__(self, name: str) -> Any:
        if name == "dt":
            return self._data.get("dt", _DEFAULT["dt"])
        try:
            return self._data[name]
        except KeyError:
            if name in ("t", "i", "t0"):
                return 0.0 if name != "i" else 0
            if name == "key":
                return None
            if name.startswith("__"):  # copy, pickle and hasattr probes: no message to compose
                raise AttributeError(name) from None
            # t, i, t0, dt and key are always readable (their defaults above), saved or not: 'dt' was listed twice
            # and 't' not at all, and share['time'] got no hint
            held = sorted({*(k for k in self._data if not k.startswith("_")), *_ALWAYS})
            hint = (f" Did you mean {_MEANT[name]!r}?" if name in _MEANT else did_you_mean(name, held))
            raise AttributeError(f"the step context has no value {name!r}; it holds {held}.{hint}".rstrip(".")
                                 ) from None

    def load(self, name: str, default: Any = ...) -> Any:
        """BrainPy spelling: ``share.load('t')``."""
        if default is not ... and name not in self._data and name != "dt":
            return default
        return getattr(self, name)

    def save(self, **values: Any) -> None:
        """Set context values, e.g. ``share.save(i=3, t=0.3)``."""
        self._data.update(values)

    def __getitem__(self, name: str) -> Any:
        """BrainPy spelling: ``share['t']``."""
        return getattr(self, name)

    def get_shargs(self) -> "SharedValues":
        """BrainPy's ``share.get_shargs()``: ``t``, ``i``, ``dt`` (and what else was saved), by key or attribute."""
        public = {k: v for k, v in self._data.items() if not k.startswith("_")}
        return SharedValues({"t": self.t, "i": self.i, **public, "dt": self.dt})

    def snapshot(self) -> dict[str, Any]:
        return dict(self._data)

    def restore(self, snap: dict[str, Any]) -> None:
        self._data = dict(snap)

    def clear(self) -> None:
        dt = self._data.get("dt")
        self._data = {} if dt is None else {"dt": dt}

    def __repr__(self) -> str:
        return f"share({self._data!r})"


share = _Share()

#: Context key of a runner's time for the step it is about to run: ``step_run`` uses it as ``t`` instead of
#: computing ``t0 + i * dt`` itself. BrainPy's runners compute that float32 ``t`` once per step and every
#: node reads the one rounded value; a ``t`` computed inside the step is one multiply that XLA copies into
#: each consumer, where the CPU compiler may fuse it with a subtraction (``t - t_last_spike``) into one
#: rounding, a different number (``step_times``).
STEP_TIME = "_step_time"


@jax.jit
def _times(steps: jax.Array, t0: jax.Array, dt: jax.Array) -> jax.Array:
    return t0 + steps.astype(jnp.float32) * dt


def step_times(t0: float, dt: float, start: int, n: int) -> jax.Array:
    """The float32 times ``t0 + i * dt`` of steps ``start .. start+n-1``, computed as BrainPy computes its
    ``t`` (one expression on the device, so ``t0 != 0`` rounds as there), outside the steps that read them.

    >>> import numpy as np
    >>> bool((np.asarray(step_times(0.0, 0.1, 10, 3)) == np.arange(10, 13, dtype=np.float32) * np.float32(0.1)).all())
    True
    """
    return _times(jnp.arange(start, start + n, dtype=jnp.int32), jnp.float32(t0), jnp.float32(dt))


def _check_dt(dt: Any) -> float:
    dt = to_convention("dt", dt, "ms", strict=False)  # read again by every run: strict units check what users give
    try:
        if isinstance(dt, (str, bytes, bool, np.bool_)):  # float("0.1") takes a text, float(True) is 1.0
            raise TypeError
        value = float(decimal_float(dt))  # a float32 0.1 (jnp.float32(0.1), a jnp quantity's) is 0.1
    except (TypeError, ValueError):
        raise ValueError(f"dt must be a positive number of milliseconds, got {dt!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"dt must be a positive number of milliseconds, got {dt!r}")
    return value


def _check_t0(t0: Any, who: str = "") -> Any:
    """``t0`` in ms (a time quantity converted), checked a finite number (``environment(t0=)``, a Runner's ``t0``;
    ``who`` begins the message); a traced one as given."""
    t0 = to_convention("t0", t0, "ms", strict=False)
    if isinstance(t0, jax.core.Tracer):
        return t0
    bad = f"{who + ': ' if who else ''}t0 must be a finite number of milliseconds, got {t0!r}"
    try:
        if isinstance(t0, (str, bytes, bool, np.bool_)):
            raise TypeError
        value = float(decimal_float(t0))
    except (TypeError, ValueError):  # a quantity or a text failed inside the step: "10 ms + 0.2, units do not match"
        raise ValueError(bad) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(bad)
    return t0  # as given (a runner's float32 t0 stays one)


@keywords_named
def set_dt(dt: float) -> None:
    """Set the default step size in ms (used when a runner is given no ``dt``).

    >>> set_dt(0.1); get_dt()
    0.1
    """
    _DEFAULT["dt"] = _check_dt(dt)
    share._data.pop("dt", None)


def get_dt() -> float:
    """The default step size in ms."""
    return share.dt


#: brainbatch's own context values; environment() refuses a name a letter off one of them
_CONTEXT_NAMES = ("dt", "t0", "key", "mode", "t", "i")


@contextlib.contextmanager
def environment(**values: Any) -> Iterator[_Share]:
    """Temporarily set context values (``dt``, ``t0``, ``key``, ``mode``...); restores them on exit.

    ``mode`` is the default computing mode of every system created inside the block (a system given
    ``mode=`` keeps its own), as in BrainPy.

    >>> with environment(dt=0.05):
    ...     get_dt()
    0.05
    """
    for name in values:
        # other names are the caller's own shared values (share.load); one a letter off brainbatch's own
        # (dtt=0.05) would leave dt as it was, silently
        hint = did_you_mean(name, _CONTEXT_NAMES, cutoff=0.75) if name not in _CONTEXT_NAMES else ""
        if hint:
            raise TypeError(f"environment() got {name}={values[name]!r}, not a context value of brainbatch "
                            f"({', '.join(_CONTEXT_NAMES)}).{hint}")
    snap = share.snapshot()
    try:
        if "dt" in values:  # only for this thread and this block
            values["dt"] = _check_dt(values["dt"])
        if "t0" in values:
            values["t0"] = _check_t0(values["t0"])
        if "mode" in values:  # the default mode of the systems built in this block (BrainPy's rule)
            from .modes import normalize_mode

            values["mode"] = normalize_mode(values["mode"])
        share.save(**values)
        yield share
    finally:
        share.restore(snap)

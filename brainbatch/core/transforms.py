"""Transforms over stateful graphs: stateful outside, pure inside (see core/README.md).

``functional(fun, variables)`` turns ``fun`` (which reads and writes Variables) into a pure
``(state, ctx, *args) -> (new_state, out)``: the Variables hold the tracers only while ``fun`` runs,
and the step context is restored afterwards, so no tracer outlives a transform. ``jit``, ``for_loop``
and ``vmap`` are thin wrappers over it.
"""
from __future__ import annotations

import functools
import inspect
import operator
import threading
import types
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.extend import core as jex_core

from .context import share
from .errors import keywords_named
from .graph import GraphNode, assign_paths, threaded_vars  # every node is a GraphNode
from .variable import Variable, unwrap, untraced_write_guard

__all__ = ["functional", "jit", "for_loop", "scan", "vmap", "assign_paths", "resolve_variables", "eager_exact"]

class _ThreadStack(threading.local):
    """A stack of lists, one stack per thread: threads that trace at once never see each other's entries.

    >>> s = _ThreadStack(); s.append([]); s[-1].append(1); bool(s), s.pop(), bool(s)
    (True, [1], False)
    """

    def __init__(self) -> None:
        self.items: list[list] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def __getitem__(self, index: int) -> list:
        return self.items[index]

    def append(self, item: list) -> None:
        self.items.append(item)

    def pop(self) -> list:
        return self.items.pop()


#: One list per running transform of this thread: (variable, initial value) created by
#: ``tracing_variable`` meanwhile.
TRACE_CREATED = _ThreadStack()


def resolve_variables(dyn_vars: Any = None, fun: Callable | None = None) -> dict[str, Variable]:
    """The ``{path: Variable}`` a transform threads through: from a system, dict or list, or else from
    what ``fun`` reaches (its ``self``, closures, and the module globals it names; see ``reachable_state``)."""
    if dyn_vars is None and fun is not None:
        dyn_vars = reachable_from(fun)
    if dyn_vars is None:
        return {}
    if isinstance(dyn_vars, GraphNode):
        return dict(dyn_vars.vars())
    if isinstance(dyn_vars, Variable):
        return {"var0": dyn_vars}
    if isinstance(dyn_vars, dict):
        out = {}
        for key, item in dyn_vars.items():
            if isinstance(item, GraphNode):
                out.update({f"{key}.{p}": v for p, v in item.vars().items()})
            elif isinstance(item, Variable):
                out[str(key)] = item
            else:
                raise TypeError(f"dyn_vars[{key!r}] must be a Variable or DynamicalSystem, got {type(item).__name__}")
        return _dedupe(out)
    if isinstance(dyn_vars, (list, tuple)):
        out = {}
        for k, item in enumerate(dyn_vars):
            out.update(resolve_variables({str(k): item}))
        return _dedupe(out)
    raise TypeError(f"dyn_vars must be a DynamicalSystem, Variable, or a dict/list of them, got {type(dyn_vars).__name__}")


def reachable_from(fun: Callable) -> Any:
    """What a transform of ``fun`` threads when given no ``dyn_vars``: its bound system, the system itself, or
    the systems and Variables it reaches (``reachable_state``); a wrapper of ``fun`` passes this on as its
    ``dyn_vars`` so that it threads the same ones."""
    owner = getattr(fun, "__self__", None)
    if isinstance(owner, GraphNode):
        return owner
    if isinstance(fun, GraphNode):
        return fun
    return reachable_state(fun)


def reachable_state(fun: Callable, depth: int = 4) -> list:
    """Systems and Variables ``fun`` can reach: bound ``self``, closure cells, ``functools.partial``
    arguments and the globals its code names (``g`` in ``lambda i: g.step_run(i)`` at module level),
    following functions it calls through the same routes up to ``depth`` levels.

    What this misses (an object reached through an attribute of a plain object, say) is caught when
    written: a traced value assigned to a Variable the transform does not thread is an error that
    names the Variable and says to pass ``dyn_vars``.
    """
    found: list = []
    seen: set[int] = set()

    def take(obj: Any, level: int) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, (GraphNode, Variable)):
            found.append(obj)
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                if isinstance(item, (GraphNode, Variable)):
                    take(item, level)
        elif isinstance(obj, dict):
            for item in obj.values():
                if isinstance(item, (GraphNode, Variable)):
                    take(item, level)
        elif level < depth and callable(obj):
            visit(obj, level + 1)

    def visit(f: Any, level: int) -> None:
        if isinstance(f, functools.partial):
            for item in (f.func, *f.args, *f.keywords.values()):
                take(item, level)
            return
        owner = getattr(f, "__self__", None)
        if owner is not None and not inspect.ismodule(owner):
            take(owner, level)
        f = getattr(f, "__func__", f)
        for cell in getattr(f, "__closure__", None) or ():
            take(_cell(cell), level)
        code, glob = getattr(f, "__code__", None), getattr(f, "__globals__", None)
        if code is None or glob is None:
            return
        for name in _global_names(code):
            if name in glob:
                take(glob[name], level)

    seen.add(id(fun))
    visit(fun, 0)
    return found


def _global_names(code: types.CodeType) -> set[str]:
    """Names a code object (and the functions and lambdas defined in it) may look up as globals."""
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _global_names(const)
    return names


def _cell(c: types.CellType) -> Any:
    try:
        return c.cell_contents
    except ValueError:
        return None


def _dedupe(variables: dict[str, Variable]) -> dict[str, Variable]:
    seen, out = set(), {}
    for key, var in variables.items():
        if id(var) not in seen:
            seen.add(id(var))
            out[key] = var
    return out


class StatefulFunction:
    """``fun`` over ``variables`` as a pure function of their values.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> v = bb.Variable(jnp.zeros(2))
    >>> def inc(x): v.value = v.value + x
    >>> f = functional(inc, {"v": v})
    >>> new, _ = f.pure({"v": jnp.ones(2)}, {}, 1.0)
    >>> new["v"].tolist(), v.value.tolist()
    ([2.0, 2.0], [0.0, 0.0])
    """

    def __init__(self, fun: Callable, variables: dict[str, Variable], transform: str = "functional"):
        self.fun = fun
        self.variables = variables
        self.transform = transform

    def state(self) -> dict[str, jax.Array]:
        return {p: v.value for p, v in self.variables.items()}

    def write_back(self, state: dict[str, jax.Array]) -> None:
        for path, value in state.items():
            self.variables[path]._value = value

    def pure(self, state: dict, ctx: dict, *args: Any, **kwargs: Any) -> tuple[dict, Any]:
        saved = {p: v._value for p, v in self.variables.items()}
        snap = share.snapshot()
        try:
            for path, var in self.variables.items():
                var._value = state[path]
            share.save(**ctx)
            with untraced_write_guard(self.variables.values(), self.transform):
                out = self.fun(*args, **kwargs)
            # A Variable returned (``return self.E.spike``) is read now, while it holds the traced value.
            out = unwrap(out)
            new = {p: v._value for p, v in self.variables.items()}
        finally:
            for path, var in self.variables.items():
                var._value = saved[path]
            share.restore(snap)
        return new, out


def functional(fun: Callable, variables: dict[str, Variable], transform: str = "functional") -> StatefulFunction:
    """Wrap ``fun`` so it can be traced as a pure function of the variables' values."""
    return StatefulFunction(fun, variables, transform)


def _context() -> tuple[dict, tuple]:
    """The traced (key, t0, and i/t when set) and static (dt) parts of the step context.

    ``i`` and ``t`` are passed as arguments, never baked into a compiled function as constants.
    """
    dynamic = {}
    if share.key is not None:
        dynamic["key"] = share.key
    static = (("dt", share.dt),)
    dynamic["t0"] = share.load("t0", 0.0)
    for name in ("i", "t"):
        value = share.load(name, None)
        if value is not None:
            dynamic[name] = value
    return dynamic, static


def discovering(call: Callable[[], Any]) -> Any:
    """Run ``call()`` (which resolves its variables and traces); if ``tracing_variable`` created a
    variable while tracing, give it back its initial value and run again so it is threaded through."""
    for _ in range(4):
        TRACE_CREATED.append([])
        try:
            result = call()
        finally:
            created = TRACE_CREATED.pop()
            for var, initial in created:
                var._value = initial
        if not created:
            return result
    raise RuntimeError("tracing_variable created new Variables on every trace (the model is built anew for each "
                       "one, as a sweep's build is): create them in reset_state (init_variable) instead")


@keywords_named
def jit(fun: Callable | GraphNode | None = None, *, dyn_vars: Any = None,
        static_argnums: int | Sequence[int] = (), static_argnames: str | Sequence[str] = ()) -> Any:
    """Compile ``fun`` (a function over Variables, a bound method, or a system's ``__call__``).

    Variables written inside keep their new values afterwards, as concrete arrays.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> v = bb.Variable(jnp.zeros(()))
    >>> @bb.jit(dyn_vars=v)
    ... def step(x):
    ...     v.value = v.value + x
    >>> step(2.0); float(v.value)
    2.0
    """
    if fun is None:
        return functools.partial(jit, dyn_vars=dyn_vars, static_argnums=static_argnums,
                                 static_argnames=static_argnames)
    target: Any = fun
    if isinstance(fun, GraphNode):
        dyn_vars = fun if dyn_vars is None else dyn_vars
        target = getattr(fun, "__call__")  # every node class defines it (node.py); GraphNode alone does not
    nums, names = (_listed(static_argnums, int), _listed(static_argnames, str))
    try:  # 'a' failed with "can only concatenate str"; JAX takes anything with __index__ (np.int64(0))
        if any(isinstance(n, bool) for n in nums):
            raise TypeError
        nums = tuple(operator.index(n) for n in nums)
    except TypeError:
        raise TypeError(f"jit: static_argnums must be argument positions (ints), got {static_argnums!r}; name "
                        "arguments with static_argnames") from None
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"jit: static_argnames must be argument names (str), got {static_argnames!r}")

    def pure(state: dict, ctx: dict, static_ctx: tuple, *args: Any, **kwargs: Any) -> tuple[dict, Any]:
        with _static_context(static_ctx):
            return functional(target, current["variables"], "jit").pure(state, ctx, *args, **kwargs)

    current: dict[str, Any] = {}
    compiled = jax.jit(pure, static_argnums=(2,) + tuple(n + 3 for n in nums), static_argnames=names)

    @functools.wraps(target)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        def call() -> tuple[dict, Any]:
            # a system's Variables are kept between calls while its graph is unchanged (graph.threaded_vars)
            variables = threaded_vars(dyn_vars) if isinstance(dyn_vars, GraphNode) else resolve_variables(
                dyn_vars, target)
            current["variables"] = variables
            ctx, static_ctx = _context()
            state = {p: v.value for p, v in variables.items()}
            return variables, compiled(state, ctx, static_ctx, *args, **kwargs)

        variables, (new, out) = discovering(call)
        for path, value in new.items():
            variables[path]._value = value
        return out

    setattr(wrapper, "compiled", compiled)
    return wrapper


class _static_context:
    def __init__(self, static_ctx: tuple) -> None:
        self.static_ctx = dict(static_ctx)

    def __enter__(self) -> None:
        self.snap = share.snapshot()
        share.save(**self.static_ctx)

    def __exit__(self, *exc: object) -> None:
        share.restore(self.snap)


def _listed(value: Any, one: type) -> tuple:
    """``value`` as a tuple: one ``one`` (an int, a str) or several; anything else as one item, checked after."""
    if value is None:  # JAX's and BrainPy's "none"
        return ()
    if isinstance(value, np.ndarray) and value.ndim:
        return tuple(value.tolist())
    if isinstance(value, one) or not isinstance(value, (list, tuple, set, frozenset, range)):
        return (value,)
    return tuple(value)


def loop_length(operands: Any, where: str = "for_loop") -> int:
    """How many steps a loop over ``operands`` takes: the leading length every operand shares. A value with no
    axis to loop over (a number, a text) or operands of different lengths are named, instead of JAX's
    "tuple index out of range" or "different leading axis sizes".

    >>> loop_length((jnp.zeros(3), jnp.ones((3, 2))))
    3
    """
    lengths = []
    for i, leaf in enumerate(jax.tree_util.tree_leaves(operands)):
        value = unwrap(leaf)
        shape = np.shape(value) if not isinstance(value, (str, bytes)) and hasattr(value, "shape") or isinstance(
            value, (bool, int, float, complex, np.generic)) else None
        if not shape:
            what = f"{type(value).__name__} {value!r}"
            raise TypeError(f"{where}: operands are looped over along their first axis, and operand {i} ({what}) has "
                            "none. A tuple or list of operands is unpacked into body_fun's arguments: to loop over "
                            "numbers, give one array (jnp.asarray([...]))")
        lengths.append(shape[0])
    if len(set(lengths)) > 1:
        raise ValueError(f"{where}: operands are looped over along their first axis, which must be of one length; "
                         f"got lengths {lengths}")
    return lengths[0] if lengths else 0


@keywords_named
def for_loop(body_fun: Callable, operands: Any, dyn_vars: Any = None, reverse: bool = False,
             unroll: int = 1, jit: bool = True, progress_bar: bool = False) -> Any:
    """Run ``body_fun(*xs)`` over the leading axis of ``operands`` as one ``lax.scan``; stack outputs.

    Variables carry through the loop and hold the final values afterwards.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> v = bb.Variable(jnp.zeros(()))
    >>> def body(x):
    ...     v.value = v.value + x
    ...     return v.value
    >>> bb.for_loop(body, jnp.arange(4.), dyn_vars=v).tolist()
    [0.0, 1.0, 3.0, 6.0]
    """
    ctx, static_ctx = _context()
    unpack = isinstance(operands, (tuple, list))
    loop_length(operands)

    def call() -> tuple[StatefulFunction, Any]:
        f = functional(body_fun, resolve_variables(dyn_vars, body_fun), "for_loop")

        def run(state: dict, xs: Any, t0: Any) -> tuple[dict, Any]:
            def step(state: dict, xs: Any) -> tuple[dict, Any]:
                with _static_context(static_ctx):
                    new, out = f.pure(state, {**ctx, "t0": t0}, *(xs if unpack else (xs,)))
                return new, out

            return jax.lax.scan(step, state, xs, reverse=reverse, unroll=unroll)

        runner = jax.jit(run) if jit else run
        # t0 goes in as a value, not a constant: a step's t = t0 + i * dt is then one rounding (a multiply-add)
        # that every consumer reads alike. With t0 a constant 0 the add is folded away, and the CPU compiler
        # may fuse the bare multiply into a consumer's subtraction (t - t_last_spike) and round it otherwise.
        return f, runner(f.state(), tuple(operands) if unpack else operands, jnp.asarray(ctx["t0"], jnp.float32))

    f, (new, outs) = discovering(call)
    f.write_back(new)
    return outs


scan = for_loop


@keywords_named
def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0, dyn_vars: Any = None,
         state_axes: int | None | dict = None, axis_size: int | None = None) -> Callable[..., Any]:
    """Vectorise ``fun`` over a batch. Variables are shared (``state_axes=None``) or mapped (``0``/dict).

    A shared Variable written with per-lane values is an error that says to map it. Random draws use
    ``share.key``; set it per lane (e.g. ``bb.vmap(f)(keys)`` with ``f`` entering
    ``bb.environment(key=k)``) and each lane draws its own numbers.

    >>> import brainbatch as bb, jax, jax.numpy as jnp
    >>> def draw(key):
    ...     with bb.environment(key=key):
    ...         return jax.random.uniform(bb.core.random.step_key("x", 0))
    >>> out = bb.vmap(draw)(jax.random.split(jax.random.key(0), 3))
    >>> bool(out[0] != out[1])
    True
    """
    def wrapper(*args: Any) -> Any:
        ctx, static_ctx = _context()

        def call() -> tuple[StatefulFunction, Any]:
            variables = resolve_variables(dyn_vars, fun)
            f = functional(fun, variables, "vmap")
            if isinstance(state_axes, dict):
                axes = {p: state_axes.get(p) for p in variables}
            else:
                axes = {p: state_axes for p in variables}

            def lane(state: dict, *xs: Any) -> tuple[dict, Any]:
                with _static_context(static_ctx):
                    return f.pure(state, ctx, *xs)

            try:
                return f, jax.vmap(lane, in_axes=(axes,) + _expand(in_axes, len(args)),
                                   out_axes=(axes, out_axes), axis_size=axis_size)(f.state(), *args)
            except ValueError as err:
                if "out_axes" in str(err) or "mapped" in str(err):
                    raise ValueError(
                        "a Variable shared by all lanes (state_axes=None) was written with per-lane values "
                        "inside vmap; map it with state_axes=0 (or a dict path -> axis). Original error: "
                        + str(err)
                    ) from None
                raise

        f, (new, out) = discovering(call)
        f.write_back(new)
        return out

    return wrapper


def _expand(in_axes: Any, n: int) -> tuple:
    if isinstance(in_axes, (list, tuple)):
        if len(in_axes) != n:
            raise ValueError(f"in_axes has {len(in_axes)} entries for {n} arguments")
        return tuple(in_axes)
    return (in_axes,) * n


def eager_exact(fun: Callable) -> Callable:
    """``fun`` as one compiled program per argument shape that returns, bit for bit, what calling it eagerly
    (op by op) returns; under a trace, or given anything but arrays and numbers, ``fun`` itself is called.

    Eagerly each ``jax.numpy`` call of ``fun`` is dispatched (and compiled, once per shape) on its own.
    Plain ``jax.jit(fun)`` would dispatch once but can round differently: XLA rewrites across operations
    (``0.1 * (10 * x)`` becomes ``1.0 * x``, ``a / (b / c)`` becomes ``a * c / b``). Here the program is
    ``fun``'s jaxpr with an ``optimization_barrier`` after every top-level equation (each of which is one
    eager dispatch, a ``jnp`` function's inner jit included), so no rewrite crosses two of them. Used for
    the values a model computes when it is built (the HH gates' steady states of V).

    >>> g = lambda x: 0.1 * (10.0 * jnp.exp(x))
    >>> x = jnp.linspace(-3.0, 3.0, 1001)
    >>> bool((eager_exact(g)(x) == g(x)).all()), bool((jax.jit(g)(x) == g(x)).all())  # plain jit: 1.0 * exp(x)
    (True, False)
    >>> float(jax.jit(eager_exact(g))(jnp.float32(0.0)))  # under a trace: g itself, inlined there
    1.0
    """
    def ops_then_barrier(*args: Any) -> Any:
        closed, out_shape = jax.make_jaxpr(fun, return_shape=True)(*args)
        env: dict = dict(zip(closed.jaxpr.constvars, closed.consts))
        env.update(zip(closed.jaxpr.invars, jax.tree_util.tree_leaves(args)))

        def read(v: Any) -> Any:
            return v.val if isinstance(v, jex_core.Literal) else env[v]

        for eqn in closed.jaxpr.eqns:
            outs = eqn.primitive.bind(*map(read, eqn.invars), **eqn.params)
            outs = lax.optimization_barrier(list(outs) if eqn.primitive.multiple_results else [outs])
            env.update(zip(eqn.outvars, outs))
        return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(out_shape),
                                            [read(v) for v in closed.jaxpr.outvars])

    compiled = jax.jit(ops_then_barrier)

    @functools.wraps(fun)
    def call(*args: Any) -> Any:
        from .jax_compat import trace_state_clean  # JAX internals: jax_compat.py

        plain = all(isinstance(a, (int, float, np.ndarray, np.generic))
                    or (isinstance(a, jax.Array) and not isinstance(a, jax.core.Tracer)) for a in args)
        return compiled(*args) if plain and trace_state_clean() else fun(*args)

    return call

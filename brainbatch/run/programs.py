"""The compiled programs of one ``Simulation``, each under a typed key (``ProgramKey``).

A program is jitted once per kind (init, chunk), number of blocks, stride plan, lane mode and kernel
choice (``use_kernels`` / ``BRAINBATCH_KERNELS``, read when the program is asked for: the choice is fixed
when a program is traced), and compiled ahead of time once per placement of its arguments (tree
structure, shapes, dtypes, devices). ``trace_lock`` is held while a program is traced and compiled, never while one runs.

Compiled programs are also shared by every ``Simulation`` of the process (``SHARED``): a model built again
(a notebook cell run twice, a new ``Runner`` of the same network) is traced and lowered again, which keeps every
side effect of tracing, but compiles nothing when its lowered program is one compiled before. The key is what
the executable is a function of: the StableHLO module itself (every operation and constant, without source
locations), the argument and result trees, the arguments' weak types and placement, and the compile options.
Programs are jitted with ``keep_unused=True``, so the module's parameters are all the arguments, in order
(otherwise two models reading different, equally shaped arguments could lower to one text). A module that calls
back into Python (``jax.debug.print``, ``pure_callback``: the function is not in its text) or takes hoisted
constants (``jax_use_simplified_jaxpr_constants``: their values are not in it) is never shared.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any, Callable, Literal

import jax

from ..kernels import kernel_choice
from .sharing import split_state
from .stride import StridePlan

__all__ = ["LaneMode", "ProgramKey", "Programs", "SHARED", "SharedPrograms", "placement"]

#: How the lanes of a batch run: one wide vmapped program, or one after the other inside the program;
#: ``"auto"`` chooses (``engine.choose_lanes``).
LaneMode = Literal["auto", "vmap", "loop"]


@dataclass(frozen=True)
class ProgramKey:
    """What one program is specific to; ``placement`` is empty for the jitted (not yet compiled) program."""

    kind: Literal["init", "chunk"]
    n_blocks: int = 0
    plan: StridePlan | None = None
    lanes: LaneMode = "vmap"
    placement: tuple = ()
    #: the init program's shared outputs (``sharing.py``); a chunk program's follow from its arguments
    shared: frozenset = frozenset()
    #: the paths the init program leaves out: constants the host fills (``Simulation.init``)
    hosted: frozenset = frozenset()
    #: the kernel choice (``kernels.kernel_choice()``) the program is traced under: native and pure-JAX
    #: event paths (and threefry lowerings) are different programs
    kernels: str = "auto"


def placement(tree: Any) -> tuple:
    """What a compiled program is specific to: the tree's structure, and each leaf's shape, dtype and devices."""
    leaves = jax.tree.leaves(tree)
    return jax.tree.structure(tree), tuple((x.shape, str(x.dtype), tuple(sorted(map(str, x.devices())))) for x in leaves)


class SharedPrograms:
    """The compiled programs every ``Simulation`` of the process shares, by their lowered module (the module text),
    the most recently used ``capacity`` of them; ``hits`` counts the compiles saved."""

    def __init__(self, capacity: int = 32) -> None:
        self.capacity = capacity
        self.hits = 0
        self._programs: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._programs)

    def clear(self) -> None:
        with self._lock:
            self._programs.clear()

    def compile(self, lowered: Any, args: tuple, options: dict | None = None) -> Any:
        """``lowered.compile(compiler_options=options)``, or the program compiled before from the same module."""
        key = self.key(lowered, args, options)
        if key is not None:
            with self._lock:
                fn = self._programs.get(key)
                if fn is not None:
                    self._programs.move_to_end(key)
                    self.hits += 1
                    return fn
        fn = lowered.compile(compiler_options=options) if options else lowered.compile()
        if key is not None:
            with self._lock:
                self._programs[key] = fn
                while len(self._programs) > self.capacity:
                    self._programs.popitem(last=False)
        return fn

    @staticmethod
    def key(lowered: Any, args: tuple, options: dict | None) -> tuple | None:
        """Everything the compiled program depends on (module docstring), or None: not to be shared."""
        if jax.config.values.get("jax_use_simplified_jaxpr_constants", True):  # constants passed beside the text
            return None
        text = lowered.as_text(debug_info=False)
        # a host callback's function is an index into the executable's own list; effects thread tokens through it
        if "callback" in text or "token" in text:
            return None
        weak = tuple(bool(getattr(x, "weak_type", False)) for x in jax.tree.leaves(args))
        return (hashlib.sha256(text.encode()).hexdigest(), len(text), lowered.in_tree, lowered.out_tree, weak,
                placement(args), tuple(sorted((options or {}).items())))


#: the process's shared compiled programs (``SharedPrograms``)
SHARED = SharedPrograms()


class Programs:
    """The jitted and compiled programs of ``sim``, by ``ProgramKey``."""

    def __init__(self, sim: Any) -> None:  # a Simulation (engine.py imports this module)
        self._sim = sim
        self._programs: dict[ProgramKey, Any] = {}

    def __len__(self) -> int:
        return len(self._programs)

    def jitted(self, key: ProgramKey) -> Any:
        """The jitted program of ``key`` (its ``placement`` ignored)."""
        key = replace(key, placement=())
        fn = self._programs.get(key)
        if fn is None:
            sim = self._sim
            if key.kind == "init":
                shared, hosted = key.shared, key.hosted

                def init_lane(k: jax.Array, params: dict) -> tuple[dict, dict]:
                    state = sim._init_lane(k, params)
                    return split_state({p: v for p, v in state.items() if p not in hosted}, shared)

                def init(keys: jax.Array, params: dict) -> dict:
                    # the shared values come out once, unbatched; vmap refuses any that depends on the lane
                    lanes, common = jax.vmap(init_lane, out_axes=(0, None))(keys, params)
                    return {**lanes, **common}

                fn = jax.jit(init, keep_unused=True)  # keep_unused: SHARED's key
            else:
                n_blocks, plan = key.n_blocks, key.plan

                def lane(state: dict, common: dict, k: jax.Array, params: dict, i0: jax.Array,
                         xs: Any) -> tuple[dict, dict]:
                    # the step never writes a shared variable (sharing.py): only the lane's own come back
                    st, recs = sim._chunk_lane({**state, **common}, k, params, i0, xs, n_blocks, plan)
                    return {p: v for p, v in st.items() if p not in common}, recs

                if key.lanes == "loop":  # one lane after the other inside the program (see LaneMode)
                    def batch(state: dict, common: dict, k: jax.Array, params: dict, i0: jax.Array,
                              xs: Any) -> tuple[dict, dict]:
                        return jax.lax.map(lambda a: lane(a[0], common, a[1], a[2], i0, xs), (state, k, params))
                else:  # one copy of the shared variables for every lane: in_axes None
                    batch = jax.vmap(lane, in_axes=(0, None, 0, 0, None, None))
                fn = jax.jit(batch, donate_argnums=(0,), keep_unused=True)
            self._programs[key] = fn
        return fn

    def chunk(self, n_blocks: int, plan: StridePlan, lanes: LaneMode, args: tuple, lock: Any) -> Callable:
        """The chunk program compiled for these argument shapes and devices (traced under ``lock``)."""
        key = ProgramKey("chunk", n_blocks, plan, lanes, kernels=kernel_choice())
        if jax.config.jax_disable_jit:  # Runner(jit=False): the steps run op by op, nothing to compile
            return self.jitted(key)
        key = replace(key, placement=placement(args))
        fn = self._programs.get(key)
        if fn is None:
            with lock:
                fn = self._programs.get(key)
                if fn is None:
                    fn = self._programs[key] = SHARED.compile(self.jitted(key).lower(*args), args)
        return fn

    def init(self, keys: jax.Array, params: dict, shared: frozenset = frozenset(),
             hosted: frozenset = frozenset()) -> Callable:
        """The init program compiled for these keys and parameters, without the ``hosted`` paths.

        The init program runs once per batch, so it is compiled at LLVM optimisation level 1: compiling
        takes about half the default's time, while level 0 made the samplers' loops so slow that
        Brunel's fixed in-degree connectivity took 44 s for 6 runs (2.7 s at level 1; COBA's 16 runs
        1.9 s against 3.6 s at level 0, compile included).
        """
        key = ProgramKey("init", placement=placement((keys, params)), shared=shared, hosted=hosted,
                         kernels=kernel_choice())
        fn = self._programs.get(key)
        if fn is None:
            lowered = self.jitted(key).lower(keys, params)
            try:
                fn = SHARED.compile(lowered, (keys, params), {"xla_backend_optimization_level": 1})
            except Exception:  # noqa: BLE001 - a backend without that option: compile as usual
                fn = SHARED.compile(lowered, (keys, params))
            self._programs[key] = fn
        return fn

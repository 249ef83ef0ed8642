"""Per-run leases: which process is running a run, so two sweeps on one store never run it twice.

A lease is a small JSON file ``leases/<run>`` in the store (``<run>`` is the run's index, e.g.
``3_1``) holding its owner (host, boot id, pid, process start time, a random token) and a heartbeat
time that the owner renews every ``heartbeat_s()`` seconds from a background thread. The rules are in
the store README ("Leases"); in short:

- a run is claimed by creating its lease file exclusively (a hard link: atomic, and it fails if the
  file exists), so of two processes claiming one run, exactly one wins;
- a lease is live while its owner is: on the same host, while the owner's process exists (so a
  killed process frees its runs at once); from another host, while its heartbeat is younger than
  ``stale_s()`` seconds;
- a dead owner's lease is taken over through a generation marker ``leases/<run>.<gen>`` that also
  can be created only once, so one process takes it;
- the owner removes its lease after the run's status is written (done, failed, or pending again);
- a sweep also holds ``leases/sweep-<token>`` while it works on the store, so a forced rebuild or an
  extension in time can tell that a sweep is under way even between two of its batches;
- a coordinator holds ``leases/metadata`` (``metadata_lock``) while it changes the store's metadata
  (creating arrays, resizing, rewriting coordinates and root attributes): the same create-once file,
  owner and heartbeat, so concurrent extensions are serialised and one whose owner died is taken over.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, TypeGuard

from ..settings import get as get_setting
from ..settings import lease_times
from ._errors import StoreError



# read when used (a malformed value is a one-line SettingError there, never an error of `import`)
def heartbeat_s() -> float:
    """Seconds between two renewals of a held lease (``BRAINBATCH_LEASE_HEARTBEAT_S``)."""
    return float(lease_times()[0])  # checked against the stale time


def stale_s() -> float:
    """A lease from another host is live while its heartbeat is younger than this (``BRAINBATCH_LEASE_STALE_S``)."""
    return float(get_setting("BRAINBATCH_LEASE_STALE_S"))


def lock_wait_s() -> float:
    """Longest wait (seconds) for the metadata lock of a store held by another live process
    (``BRAINBATCH_LOCK_WAIT_S``)."""
    return float(get_setting("BRAINBATCH_LOCK_WAIT_S"))

#: File name of the metadata lock (``leases/metadata``); not a run's or a sweep's lease.
METADATA_KEY = "metadata"

_TOKEN = uuid.uuid4().hex
_TOKEN_PID = os.getpid()


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _start_time(pid: int) -> str:
    """The process's start time (tells a reused pid from the original); '' where unknown."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _exited(pid: int) -> bool:
    """The process has exited and waits only to be reaped by its parent (a zombie, state Z or X in /proc): it
    holds nothing any more, though ``kill(pid, 0)`` still succeeds and its start time is unchanged. False where
    unknown (no /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def _pid_namespace() -> str:
    """This process's PID namespace (``pid:[4026531836]``); '' where unknown. Containers on one machine may share
    its host name (``--network host``) and always share its boot id, yet each numbers its processes apart: a pid
    seen from one (often 1, the container's first process) names another process, or none, in the other."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


_HOST = socket.gethostname()
_BARE_BOOT = _boot_id()
#: the boot id and PID namespace: an owner is checked by its pid only where both are this process's
_BOOT = f"{_BARE_BOOT} {_pid_namespace()}".strip() if _BARE_BOOT else ""


@dataclass(frozen=True)
class Owner:
    """The process that holds a lease (or builds a store): where it runs and which process it is.

    Read from a file that anyone may have written, so every field is checked and a wrong one reads as
    empty (``""``, ``0``, ``None``): such an owner is never this process and, on this host, never alive.

    >>> me = Owner.me()
    >>> me.is_me() and me.pid == os.getpid() and str(me) == f"pid {os.getpid()} on {me.host}"
    True
    >>> Owner.from_json({"pid": "7", "host": 3})
    Owner(host='', boot='', pid=0, start='', token='', since=None)
    """

    host: str
    boot: str
    pid: int
    start: str
    token: str
    since: float | None

    def __str__(self) -> str:
        return f"pid {self.pid or '?'} on {self.host or '?'}"

    @classmethod
    def me(cls) -> Owner:
        """This process (a forked child gets a token of its own)."""
        global _TOKEN, _TOKEN_PID
        if os.getpid() != _TOKEN_PID:  # a forked child is another owner
            _TOKEN, _TOKEN_PID = uuid.uuid4().hex, os.getpid()
        return cls(_HOST, _BOOT, os.getpid(), _start_time(os.getpid()), _TOKEN, time.time())

    @classmethod
    def from_json(cls, doc: Any) -> Owner | None:
        """The owner a JSON object describes (fields of the wrong type read as empty); None for a non-object."""
        if not isinstance(doc, dict):
            return None

        def text(key: str) -> str:
            value = doc.get(key)
            return value if isinstance(value, str) else ""

        pid = doc.get("pid")
        since = doc.get("since")
        return cls(text("host"), text("boot"), pid if isinstance(pid, int) and not isinstance(pid, bool) else 0,
                   text("start"), text("token"), float(since) if _finite(since) else None)

    def to_json(self) -> dict[str, Any]:
        return {"host": self.host, "boot": self.boot, "pid": self.pid, "start": self.start,
                "token": self.token, "since": self.since}

    def is_me(self) -> bool:
        return bool(self.token) and self.token == Owner.me().token

    def alive(self, heartbeat: float | None = None, remote_grace: bool = True) -> bool:
        """Whether this owner may still be working.

        Same host (host name, boot id and PID namespace): its process exists (with the same start time). Another
        host, or another container of this one (its own PID namespace): its ``heartbeat`` (or,
        without one, its ``since``) is younger than ``stale_s()``; with ``remote_grace=False`` an owner on
        another host always counts as alive (nothing of its is touched).
        """
        # an owner written before the namespace was recorded (its bare boot id) is checked by its pid, as it was then
        if self.host == _HOST and self.boot in (_BOOT, _BARE_BOOT):
            if self.pid <= 0:
                return False
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass  # exists, owned by another user
            if _exited(self.pid):  # killed (kill -9), not yet reaped by its parent: its runs are free
                return False
            # a lease without a start time (a hand-made file) could name any live pid, such as 1, forever
            return not _start_time(self.pid) or _start_time(self.pid) == self.start
        if not remote_grace:
            return True
        beat = heartbeat if _finite(heartbeat) else self.since
        # a heartbeat in the future is clock skew at most stale_s() wide; beyond that (a hostile or damaged
        # file: 1e300, Infinity) the lease is implausible and counts as stale, so it cannot block a run forever
        stale = stale_s()
        return _finite(beat) and -stale < time.time() - beat < stale


@dataclass(frozen=True)
class Lease:
    """A lease as read from the store: its file name (``key``), owner, generation and heartbeat.

    ``damaged`` says why a file that cannot be trusted holds nothing (it is stale, whatever it claims).
    """

    key: str
    owner: Owner | None
    gen: int = 0
    since: float | None = None
    heartbeat: float | None = None
    damaged: str | None = None

    @property
    def alive(self) -> bool:
        """Held by a live owner."""
        return self.owner is not None and self.owner.alive(self.heartbeat)

    @property
    def mine(self) -> bool:
        """Held by this process."""
        return self.owner is not None and self.owner.is_me()

    @property
    def of_sweep(self) -> bool:
        """The lease a sweep holds on the whole store (``Leases.hold_store``), not a run's."""
        return self.key.startswith("sweep-")

    def implausible(self) -> str | None:
        """Why this lease cannot be trusted (damaged, or a heartbeat from the future), else None."""
        if self.damaged:
            return self.damaged
        beat = self.heartbeat if _finite(self.heartbeat) else (self.owner.since if self.owner else None)
        if _finite(beat) and beat - time.time() >= stale_s():
            return f"its heartbeat is {beat - time.time():.0f} s in the future"
        return None


def owner_id() -> dict[str, Any]:
    """This process as a lease owner, as JSON (what lease files and half-built stores record).

    >>> owner_id()["pid"] == os.getpid()
    True
    """
    return Owner.me().to_json()


def owner_tag() -> str:
    """Short text naming this host and process (for the names of half-built stores)."""
    return f"{hashlib.sha256((_HOST + _BOOT).encode()).hexdigest()[:8]}-{os.getpid()}"


def owner_alive(owner: Any, heartbeat: float | None = None, remote_grace: bool = True) -> bool:
    """Whether the owner a JSON object describes may still be working (``Owner.alive``); False for a non-object."""
    parsed = Owner.from_json(owner)
    return parsed is not None and parsed.alive(heartbeat, remote_grace)


def _finite(x: Any) -> TypeGuard[float]:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def run_key(index: tuple[int, ...]) -> str:
    """File name of a run's lease.

    >>> run_key((3, 1))
    '3_1'
    """
    return "_".join(str(int(i)) for i in index)


class _Files:
    """Small files under ``<store>/leases``: exclusive create, atomic replace, read, delete."""

    def __init__(self, store_path: str) -> None:
        from ._layout import LEASES_GROUP
        from ._location import local_path

        self.local = local_path(store_path)
        if self.local is not None:
            self.folder = os.path.join(os.path.abspath(self.local), LEASES_GROUP)
            self.fs = None
        else:
            import fsspec

            self.fs, root = fsspec.core.url_to_fs(store_path)
            self.folder = f"{root.rstrip('/')}/{LEASES_GROUP}"

    def _path(self, name: str) -> str:
        return os.path.join(self.folder, name) if self.fs is None else f"{self.folder}/{name}"

    def read(self, name: str) -> bytes | None:
        try:
            if self.fs is None:
                with open(self._path(name), "rb") as fh:
                    return fh.read()
            return self.fs.cat_file(self._path(name))
        except FileNotFoundError:
            return None
        except (IsADirectoryError, NotADirectoryError, PermissionError) as err:
            return _UNREADABLE + f"{type(err).__name__}: {err.strerror or err}".encode()

    def age(self, name: str) -> float:
        """Seconds since ``name`` was last written (0 where that cannot be told)."""
        try:
            if self.fs is None:
                return time.time() - os.stat(self._path(name)).st_mtime
            return time.time() - self.fs.modified(self._path(name)).timestamp()
        except Exception:  # noqa: BLE001 - unknown: assume fresh, as before
            return 0.0

    def where(self, name: str) -> str:
        """The lease file's path (or URL), for messages that say how to clear it."""
        return self._path(name) if self.fs is None else self.fs.unstrip_protocol(self._path(name))

    def check_folder(self) -> None:
        """``LeaseError`` when ``leases`` is not a folder this process can create files in."""
        if self.fs is not None or not os.path.lexists(self.folder):
            return
        if not os.path.isdir(self.folder):
            raise LeaseError(f"{self.folder!r} is not a folder, but brainbatch keeps its leases there; it is "
                             f"damaged: remove it (rm {self.folder}) when no sweep works on this store, then run again")
        if not os.access(self.folder, os.W_OK | os.X_OK):
            raise LeaseError(f"{self.folder!r} is not writable by this user: a sweep could not take its runs' "
                             "leases; fix its permissions or write to another store (--out)")

    def create(self, name: str, data: bytes) -> bool:
        """Write ``name`` only if it does not exist; True when this call made it."""
        if self.fs is None:
            self.check_folder()
            os.makedirs(self.folder, exist_ok=True)
            tmp = self._path(f".{name}.{_TOKEN}.{threading.get_ident()}.tmp")
            _write_new(tmp, data)
            try:
                os.link(tmp, self._path(name))  # atomic, and refuses an existing name
                return True
            except FileExistsError:
                return False
            finally:
                os.unlink(tmp)
        try:
            with self.fs.open(self._path(name), "xb") as fh:
                fh.write(data)
            return True
        except FileExistsError:
            return False
        except (ValueError, NotImplementedError):  # no exclusive mode: check, then write (best effort)
            if self.fs.exists(self._path(name)):
                return False
            self.fs.pipe_file(self._path(name), data)
            return True

    def replace(self, name: str, data: bytes) -> None:
        if self.fs is None:
            if os.path.isdir(self._path(name)):  # a folder where a lease belongs: only an empty one is removed
                try:
                    os.rmdir(self._path(name))
                except OSError:
                    raise LeaseError(
                        f"{self._path(name)!r} is a folder where a run's lease file belongs; remove it "
                        f"(rm -r {self._path(name)}) when no sweep works on this store, then run again") from None
            tmp = self._path(f".{name}.{_TOKEN}.{threading.get_ident()}.tmp")
            _write_new(tmp, data)
            try:
                os.replace(tmp, self._path(name))
            except BaseException:
                _remove(tmp)
                raise
        else:
            self.fs.pipe_file(self._path(name), data)

    def delete(self, name: str) -> None:
        try:
            if self.fs is None:
                os.unlink(self._path(name))
            else:
                self.fs.rm_file(self._path(name))
        except FileNotFoundError:
            pass


def _write_new(path: str, data: bytes) -> None:
    """Write ``data`` to a new temporary file; a write that fails (a full disk, a file size limit) leaves none."""
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except BaseException:
        _remove(path)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:  # never made, or already gone: nothing left
        pass


def _is_lease(name: str) -> bool:
    """A lease file name (a run's, ``3_1``, or a sweep's, ``sweep-<token>``), not a marker or temporary file."""
    return "." not in name and (name[:1].isdigit() or name.startswith("sweep-"))


_UNREADABLE = b"\0unreadable: "


def _decode(key: str, raw: bytes | None) -> Lease | None:
    """The lease in file ``key``, None when there is none; a lease that cannot be trusted (unreadable,
    damaged) holds nothing (``owner=None``, it is stale), whatever it claims, and ``damaged`` says why."""
    if raw is None:
        return None
    if raw.startswith(_UNREADABLE):
        return Lease(key, None, damaged=raw[len(_UNREADABLE):].decode(errors="replace"))
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        return Lease(key, None, damaged="it does not parse as JSON")
    if not isinstance(doc, dict):
        return Lease(key, None, damaged="it is not a JSON object")
    owner, gen = doc.get("owner"), doc.get("gen", 0)
    if not isinstance(owner, dict) or not isinstance(gen, int) or isinstance(gen, bool) or not 0 <= gen < 2**31:
        return Lease(key, None, damaged=f"its owner or gen ({str(gen)[:20]!r}) is not what brainbatch writes")
    if any(k in doc and not _finite(doc[k]) for k in ("heartbeat", "since")):
        return Lease(key, None, damaged="its heartbeat is not a finite time")
    return Lease(key, Owner.from_json(owner), gen, doc.get("since"), doc.get("heartbeat"))


class LeaseError(StoreError):
    """A leases folder or lease file that brainbatch cannot use (a file where a folder belongs, ...)."""


class Leases:
    """The leases of one store, as seen by this process."""

    def __init__(self, store_path: str) -> None:
        self.path = store_path
        self.files = _Files(store_path)

    def read(self, index: tuple[int, ...]) -> Lease | None:
        """The lease of a run, or None when nobody holds it."""
        return self._read(run_key(index))

    def _read(self, key: str) -> Lease | None:
        return _decode(key, self.files.read(key))

    def claim(self, index: tuple[int, ...]) -> bool:
        """Take the run's lease; False when a live owner (another process) holds it."""
        return self._claim(run_key(index))

    def hold_store(self) -> str:
        """A lease on the whole store for as long as a sweep works on it (``release_store`` ends it).

        Lets a forced rebuild see that a sweep is under way even between two of its batches.
        """
        key = f"sweep-{Owner.me().token}"
        self._claim(key)
        return key

    def release_store(self, key: str) -> None:
        self._release(key)

    def _claim(self, key: str) -> bool:
        for _ in range(3):  # a lease released while we looked: look again
            raw = self.files.read(key)
            current = _decode(key, raw)
            if current is None:
                mine = self._doc(0)
                if self.files.create(key, _encode(mine)):
                    _KEEPER.hold(self, key, mine)
                    return True
                continue
            if current.mine:
                return True
            if current.alive:
                return False
            gen = current.gen + 1
            if not self.files.create(f"{key}.{gen}", b""):
                if self.files.age(f"{key}.{gen}") > stale_s():  # a taker that died half-way: its marker is void
                    self.files.delete(f"{key}.{gen}")
                    continue
                return False  # another process is taking this dead lease over
            if self.files.read(key) != raw:
                return False
            mine = self._doc(gen)
            self.files.replace(key, _encode(mine))
            _KEEPER.hold(self, key, mine)
            return True
        return False

    def release(self, index: tuple[int, ...]) -> None:
        """Give the lease up (after the run's status is written); only our own lease is removed."""
        self._release(run_key(index))

    def _release(self, key: str) -> None:
        _KEEPER.drop(self, key)
        current = self._read(key)
        if current is not None and current.mine:
            self.files.delete(key)
            for gen in range(1, current.gen + 1):
                self.files.delete(f"{key}.{gen}")

    def all(self) -> list[Lease]:
        """Every lease of this store; none when ``leases`` is missing or not a folder."""
        if self.files.fs is None:
            try:
                names = [n for n in os.listdir(self.files.folder) if _is_lease(n)]
            except (FileNotFoundError, NotADirectoryError):
                return []
        else:
            try:
                names = [p.rsplit("/", 1)[-1] for p in self.files.fs.ls(self.files.folder, detail=False)]
            except FileNotFoundError:
                return []
            names = [n for n in names if _is_lease(n)]
        return [lease for n in names if (lease := self._read(n)) is not None]

    def live_elsewhere(self) -> list[Lease]:
        """Leases of this store held by live processes other than this one."""
        return [lease for lease in self.all() if lease.alive and not lease.mine]

    def changing_metadata(self) -> Lease | None:
        """The metadata lock (``leases/metadata``) when a live process other than this one holds it: a coordinator
        is creating, resizing or rewriting the store's arrays right now, so a reader may find them part-way through
        (their consolidated copy not yet rewritten, a coordinate not yet grown to its arrays' length)."""
        lease = self._read(METADATA_KEY)
        return lease if lease is not None and lease.alive and not lease.mine else None

    def suspect(self) -> list[tuple[str, str]]:
        """``(path, why)`` of each lease that is damaged or implausible (treated as stale), to say how to clear it."""
        return [(self.files.where(lease.key), why) for lease in self.all() if (why := lease.implausible())]

    def renew(self, key: str, doc: dict) -> bool:
        """Write a fresh heartbeat; False when the lease is no longer ours (taken over)."""
        current = self._read(key)
        if current is None or not current.mine:
            return False
        doc["heartbeat"] = time.time()
        self.files.replace(key, _encode(doc))
        return True

    def _doc(self, gen: int) -> dict:
        now = time.time()
        return {"owner": owner_id(), "gen": gen, "since": now, "heartbeat": now}


def _encode(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True).encode()


class _Keeper:
    """One daemon thread per process renews the heartbeat of every lease it holds."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: dict[tuple[str, str], tuple[Leases, str, dict]] = {}
        self.thread: threading.Thread | None = None
        self.pid = os.getpid()
        self.every = 10.0  # heartbeat_s(), read by hold() in the caller's thread (where a bad value is reported)

    def hold(self, leases: Leases, key: str, doc: dict) -> None:
        every = heartbeat_s()
        with self.lock:
            self.every = every
            self.held[(leases.path, key)] = (leases, key, doc)
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._beat, name="brainbatch-lease-heartbeat", daemon=True)
                self.thread.start()

    def drop(self, leases: Leases, key: str) -> tuple[Leases, str, dict] | None:
        with self.lock:
            return self.held.pop((leases.path, key), None)

    def _beat(self) -> None:
        while True:
            time.sleep(self.every)
            with self.lock:
                items = list(self.held.items())
            for held_key, (leases, key, doc) in items:
                try:
                    ok = leases.renew(key, doc)
                except OSError:
                    continue  # a passing filesystem hiccup: try again next beat
                if not ok:
                    with self.lock:
                        self.held.pop(held_key, None)


_KEEPER = _Keeper()


_META_LOCAL = threading.RLock()  # threads of one process share its owner token: they queue here first
_META_DEPTH = threading.local()


@contextmanager
def metadata_lock(store_path: str) -> Iterator[None]:
    """Hold the store's metadata lock: only one coordinator at a time changes arrays or root attributes.

    Waits (polling) while another live process holds it, at most ``lock_wait_s()``; a lock whose owner
    died is taken over like a run's lease. Re-entrant within a thread.
    """
    from ._errors import StoreError
    from ..faults import fault_point

    held = getattr(_META_DEPTH, "paths", None)
    if held is None:
        held = _META_DEPTH.paths = {}
    key = os.fspath(store_path)
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    with _META_LOCAL:
        leases = Leases(key)
        wait_s = lock_wait_s()
        deadline = time.monotonic() + wait_s
        waited = False
        while not leases._claim(METADATA_KEY):
            if not waited:
                waited = True
                fault_point("lock-wait")
            if time.monotonic() > deadline:
                lease = leases._read(METADATA_KEY)
                raise StoreError(
                    f"{key!r}: another process ({lease.owner if lease and lease.owner else Owner.from_json({})}) has been changing "
                    f"the store's layout for more than {wait_s:g} s; try again later (a lock whose process "
                    f"has ended is taken over by itself; from another host after {stale_s():g} s without heartbeat)")
            time.sleep(0.05)
        held[key] = 1
        try:
            yield
        finally:
            held[key] = 0
            leases._release(METADATA_KEY)

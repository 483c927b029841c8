"""Read an uploaded file in a worker process with a memory and a time limit.

    rows = run_isolated(read_any, path, plan, label="data.xlsx", limits=ParseLimits())

The reader runs in a child process (started from a small fork server, so it
costs milliseconds, not an interpreter start) whose address space is capped
with ``RLIMIT_AS`` and whose CPU time is capped with ``RLIMIT_CPU``; the caller
also stops waiting after ``seconds``. Whatever the file does to the reader —
a native abort, a memory error, an endless loop — only the child dies, and
the caller gets :class:`~scicity.ingest.problems.ImportRejected` with one
problem that says what happened, so the request fails cleanly and the server
keeps serving. Problems the reader finds come back as they are.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from scicity.domain.message import Msg
from scicity.ingest.problems import ImportRejected, Location, Problem

T = TypeVar("T")
#: modules the fork server imports once, so that each worker starts with them loaded
PRELOAD = ["scicity.ingest.detect", "scicity.ingest.registry_reader"]
_lock = threading.Lock()
_context: Any = None


@dataclass(frozen=True)
class ParseLimits:
    #: bytes of address space the worker may use
    memory: int = 2 * 1024 * 1024 * 1024
    #: seconds the worker may take (wall clock; CPU time is capped at the same figure)
    seconds: float = 300.0


class WorkerFailed(RuntimeError):
    """The worker raised something other than ImportRejected (a bug in a reader); the message says what."""


def _mp_context() -> Any:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], limits: ParseLimits) -> None:
    import resource

    memory = int(limits.memory)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(limits.seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        result: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except ImportRejected as exc:
        result = ("rejected", exc)
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - reported to the caller, who decides
        result = ("error", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def _mb(n: float) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def run_isolated(fn: Callable[..., T], *args: Any, label: str, limits: ParseLimits = ParseLimits(),
                 **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a limited worker; ImportRejected (one problem about ``label``) if the worker fails."""
    ctx = _mp_context()
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, fn, args, kwargs, limits), daemon=True)
    process.start()
    child.close()
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            if parent.poll(min(0.5, max(0.0, deadline - time.monotonic()))):
                try:
                    kind, value = parent.recv()
                except EOFError:
                    break
                return _outcome(kind, value, label, limits)
            if time.monotonic() >= deadline:
                _stop(process)
                raise _rejected(label, Msg("reading the file took longer than {seconds} s, the limit; "
                                "nothing was read. Split the file, or save it as CSV", seconds=f"{limits.seconds:.0f}"))
            if not process.is_alive() and not parent.poll(0):
                break
        process.join(5)  # it has closed its end: it is exiting, let it say how
        code = process.exitcode
    finally:
        parent.close()
        _stop(process)
    why = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
    if code is not None and -code == signal.SIGXCPU:
        raise _rejected(label, Msg("reading the file took more than {seconds} s of processor time, the limit; "
                        "nothing was read. Split the file, or save it as CSV", seconds=f"{limits.seconds:.0f}"))
    raise _rejected(label, Msg("the file could not be read within the memory limit of {limit} "
                    "(the reader stopped: {why}); nothing was read. Check that the sheet holds only the data "
                    "(no stray cells far below or right of it), or save it as CSV", limit=_mb(limits.memory), why=why))


def _outcome(kind: str, value: Any, label: str, limits: ParseLimits) -> Any:
    if kind == "ok":
        return value
    if kind == "rejected":
        raise value
    if kind == "memory":
        raise _rejected(label, Msg("reading the file needs more than the memory limit of {limit}; "
                        "nothing was read. Split the file, or save it as CSV", limit=_mb(limits.memory)))
    raise WorkerFailed(Msg("{file}: the reader failed: {reason}", file=label, reason=Msg.literal(str(value))))


def _rejected(label: str, message: str) -> ImportRejected:
    return ImportRejected([Problem(Location(label), message)], label)


def _stop(process: Any) -> None:
    if process.is_alive():
        process.kill()
    process.join(5)


def limits_from(settings: Any) -> ParseLimits:
    """The limits the settings ask for (``parse_max_memory``, ``parse_timeout``)."""
    return ParseLimits(memory=settings.parse_max_memory, seconds=float(settings.parse_timeout))


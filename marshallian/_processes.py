"""Worker processes that die with their parent.

:func:`worker_pool` is a :class:`concurrent.futures.ProcessPoolExecutor` (``spawn``) whose
workers ask the kernel to kill them when the parent dies (Linux ``prctl(PR_SET_PDEATHSIG,
SIGKILL)``), so a killed ``marshallian report`` (SIGTERM, SIGKILL) leaves no process behind:
the workers die at once and multiprocessing's resource tracker, which only waits for its
last user, exits with them. Elsewhere a worker checks at start that its parent is still
the one that launched it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Initializer of a worker: be killed when ``parent_pid`` dies."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above ran
        os._exit(1)


def _start_worker(parent_pid: int) -> None:
    """Initializer of a worker: :func:`die_with_parent`, and a quick exit: the worker's
    objects live until it ends, so the collector's last passes over them at exit (a
    large share of a second with SymPy and matplotlib loaded) are skipped."""
    import atexit
    import gc

    die_with_parent(parent_pid)
    atexit.register(gc.freeze)


def worker_pool(max_workers: int = 2):
    """A ``spawn`` process pool whose workers die with this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=max_workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def terminate(pool) -> None:
    """Stop a pool's workers now (on an exception in the parent: do not wait for them)."""
    for p in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):  # already gone
            p.terminate()
    pool.shutdown(wait=True, cancel_futures=True)

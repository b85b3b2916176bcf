"""Forked worker processes: a pool whose workers leave Ctrl-C to the main process and die
with it, and how the main process ends them at once when it fails or is interrupted.

Workers are forked so that they inherit what they need instead of unpickling it; where a
platform cannot fork, callers do the work in the main process.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

__all__ = ["can_fork", "die_with_parent", "fork_context", "start_pool", "stop_workers"]

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_context() -> BaseContext:
    """The context whose queues and pools fork."""
    return multiprocessing.get_context("fork")


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` forked processes, set up by `_worker_started`."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=fork_context(),
        initializer=_worker_started,
        initargs=(os.getpid(),),
    )


def _worker_started(parent: int) -> None:
    """Set up a worker: Ctrl-C is the main process's to handle, and it dies with the main."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    if os.getppid() != parent:  # the main process died before the request took effect
        os._exit(1)


def die_with_parent() -> None:
    """Have the kernel end this process when its parent ends (Linux; elsewhere a no-op), so an
    interrupted command leaves no worker or office running."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now and let the pool go: a failed or interrupted command must not wait
    for them. Not shutdown(wait=True): a worker killed while sending its result leaves the
    pool's reader waiting for bytes that never come."""
    processes: Mapping[int, multiprocessing.Process] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)

"""What rendering one document may take: time, output and memory.

A project's templates are code its authors wrote; a loop that never ends or a string of ten
gigabytes must end the build with E-TEMPLATE, not hang it or have the system kill it. The
time limit is a SIGALRM timer (it interrupts Python code, which is what templates run as);
memory is capped with RLIMIT_AS a fixed amount above what the process already uses, so an
oversized allocation fails at once with MemoryError. Both are in force only in the main
thread of a POSIX process, which is where specgen renders.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

__all__ = ["DEFAULT_LIMITS", "LimitExceeded", "RenderLimits", "within_limits"]

_MEMORY_HEADROOM = 4 << 30  # bytes a document may allocate beyond what the process holds


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """Per document: seconds of rendering, and characters of Markdown a template may write."""

    seconds: float = 120.0
    max_chars: int = 256 << 20


DEFAULT_LIMITS = RenderLimits()


class LimitExceeded(Exception):
    """Rendering one document went past a limit; the message says which."""


def _on_alarm(signum: int, frame: object) -> None:
    raise LimitExceeded("time")


@contextlib.contextmanager
def within_limits(limits: RenderLimits) -> Iterator[None]:
    """Run the block under the time limit and the memory cap, and lift them afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    try:
        with _memory_capped():
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_capped() -> Iterator[None]:
    if resource is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + _MEMORY_HEADROOM
    if cap == _MEMORY_HEADROOM or (hard != resource.RLIM_INFINITY and cap > hard):
        yield  # the size of the process is unknown, or a stricter cap is already set
        return
    if soft != resource.RLIM_INFINITY and soft < cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """The process's virtual size in bytes (Linux), or 0 when it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()

"""Pausing Python's cyclic garbage collector around stages that allocate and keep a lot.

Loading a large catalog or building a large document allocates millions of small objects that
live until the stage ends; the collections they trigger cost more than the work itself and
grow faster than linearly with the project (a 20,000-requirement project validated in 4.7 s
with the collector running and 2.5 s without). The stages free no cycles worth collecting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; nested uses leave it as they found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

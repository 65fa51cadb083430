"""Pausing Python's cyclic garbage collector while a large call is read or unpickled: those
create many objects and no cycles, and collections of an ever larger heap would only make the
cost grow faster than the call."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """The collector off for the block, and back on after it only if it was on before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

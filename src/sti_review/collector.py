"""Pausing Python's cyclic garbage collector while a large call is read or unpickled: those
create many objects and no cycles, and collections of an ever larger heap would only make the
cost grow faster than the call."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc(keep: bool = False) -> Iterator[None]:
    """The collector off for the block, and back on after it only if it was on before.

    With ``keep``, in a process that froze its start-up objects (the CLI, see ``__main__``),
    what the block made is frozen too: it lives as long as the command, and would otherwise sit
    in the youngest generation, so that the first collection after the block scanned every
    object of it (a third of a second for a cached call of 10,000 proposals). Elsewhere (a test
    run, a library user) nothing is frozen: freezing would keep their later cycles alive."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and gc.get_freeze_count():
            gc.freeze()
        if was:
            gc.enable()

"""Jinja environments whose templates are compiled once, not on every run (issue 17).

The compiled templates are kept in ``<cache folder>/jinja`` (see ``cache.cache_dir``) by
jinja2's FileSystemBytecodeCache, which checks each template's source against what was
compiled, so an edited or upgraded template is compiled again. When the folder cannot be
made or written, templates are compiled in memory as before: a cache never fails a command.
"""

from __future__ import annotations

import os
from typing import Any


def bytecode_cache() -> Any | None:
    """A FileSystemBytecodeCache in the cache folder, or None when it cannot be used."""
    import jinja2

    from . import __version__, rubric_cache

    # the cache folder (the same rules as cache.cache_dir, without importing cache.py and the
    # sqlite3 it brings: an HTML report has no use for it)
    folder = rubric_cache.folder().parent / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            return None
    except OSError:
        return None
    # the version in the name: a new sti-review never loads an older one's bytecode
    return jinja2.FileSystemBytecodeCache(str(folder), f"sti-review-{__version__}-%s.cache")


def environment(**options: Any) -> Any:
    """A ``jinja2.Environment`` built with ``options`` and the bytecode cache.

    Use it in place of ``jinja2.Environment(...)``, e.g. in report/html_common.py:
    ``return templating.environment(loader=..., autoescape=True, ...)``."""
    import jinja2

    options.setdefault("bytecode_cache", bytecode_cache())
    return jinja2.Environment(**options)

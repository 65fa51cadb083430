"""Entry point: ``sti-review`` and ``python -m sti_review``.

``--version`` is answered before anything heavy is imported, so it stays fast.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"sti-review {__version__}\n")
        return
    import os

    # sti-review uses no pydantic plugins; looking them up costs ~10 ms of importlib.metadata
    # on every start. Only the command-line process is affected, never a library user's.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A terminal or pipe that cannot show Japanese (PYTHONIOENCODING=ascii, an old Windows code
    # page) gets \u escapes for what it cannot show, instead of a crash in the middle of a report.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="backslashreplace")
    from .cli import run

    run()


if __name__ == "__main__":
    main()

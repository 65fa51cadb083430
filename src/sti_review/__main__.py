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
    from .cli import run

    run()


if __name__ == "__main__":
    main()

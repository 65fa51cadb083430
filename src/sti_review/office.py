"""The optional Office libraries (python-docx, openpyxl): imported only by the commands that
write or read Word and Excel files, with a clear bilingual message when the extra is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import UsageError

_PACKAGES = {"docx": "python-docx", "openpyxl": "openpyxl"}


def require(module: str) -> ModuleType:
    """Import ``docx`` or ``openpyxl``; a UsageError (exit 2) naming the extra when missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = _PACKAGES.get(module, module)
        raise UsageError(
            f"Word/Excel output needs {package}: pip install 'sti-review[office]' / "
            f"Word・Excel 形式には {package} が必要です: pip install 'sti-review[office]'"
        ) from None

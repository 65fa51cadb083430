"""Reports: one view per command (report/views), one package per format, and the registry that
maps (report kind, format) to a renderer (report/registry.py, docs/report-formats.md)."""

from __future__ import annotations

from .registry import Format

__all__ = ["Format"]

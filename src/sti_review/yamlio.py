"""Safe YAML loading that remembers where every value came from.

Files are parsed with PyYAML's safe composer (libyaml when available) and turned
into plain Python data by our own walk, which
- accepts only the plain YAML types (mappings, sequences, strings, numbers, booleans, null),
- rejects duplicate keys, naming both lines (PyYAML would silently keep the last),
- treats YAML 1.1 spellings such as ``yes``/``no``/``on``/``off`` as strings (``country: NO``
  is Norway, not false),
- caps depth and the number of values, so an alias bomb ends at once.
Positions are looked up lazily, only when there is an error to report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

try:  # libyaml is much faster; fall back to the pure-Python composer.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 200_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {_TAG + t for t in ("str", "int", "float", "null")}
_TRUE_FALSE = {"true": True, "false": False}
# Folding (`>`) turns each line break into a space. Japanese has no spaces between words, so a
# space that folding put between two Japanese characters is removed again.
_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_FOLDED_JA_SPACE = re.compile(f"(?<=[{_WIDE}]) (?=[{_WIDE}])")


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as the user wrote it (relative paths stay relative)."""
    return os.fspath(path)


def format_field(loc: Iterable[Any]) -> str:
    """('partners', 0, 'country') -> 'partners[0].country'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Document:
    """A parsed YAML file: its data and the node tree for locating values."""

    path: str
    data: Any
    root: yaml.Node | None

    def _walk(self, loc: Iterable[Any]) -> yaml.Node | None:
        """The deepest node on ``loc`` that exists (the root for an empty path)."""
        node = self.root
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node

    def locate(self, loc: Iterable[Any]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node on ``loc`` that exists."""
        node = self._walk(loc)
        if node is None:
            return None, None
        return node.start_mark.line + 1, node.start_mark.column + 1

    def key_location(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """Line and column of the key of the last element of ``loc`` (its name, not its value)."""
        parent = self._walk(loc[:-1])
        if isinstance(parent, yaml.MappingNode):
            for key_node, _ in parent.value:
                if isinstance(key_node, yaml.ScalarNode) and _same_key(key_node, loc[-1]):
                    return key_node.start_mark.line + 1, key_node.start_mark.column + 1
        return self.locate(loc)

    def problem(self, loc: tuple[Any, ...], message: str, *, at_key: bool = False) -> Problem:
        line, col = self.key_location(loc) if at_key and loc else self.locate(loc)
        return Problem(self.path, line, col, format_field(loc) or None, message)


def _child(node: yaml.Node | None, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and _same_key(key_node, part):
                return value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return node.value[part]
    return None


def _same_key(key_node: yaml.ScalarNode, part: Any) -> bool:
    return key_node.value == str(part)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a UTF-8 text file (a BOM is allowed), with located errors for everything else."""
    shown = display_path(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError([Problem(shown, None, None, None, "is a directory, expected a YAML file")])
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                [
                    Problem(
                        shown,
                        None,
                        None,
                        None,
                        f"is {size:,} bytes; files over {MAX_BYTES:,} bytes are refused",
                    )
                ]
            )
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(shown, None, None, None, "no such file")]) from None
    except PermissionError:
        raise InputError([Problem(shown, None, None, None, "permission denied")]) from None
    except OSError as exc:
        raise InputError([Problem(shown, None, None, None, f"cannot be read ({exc.strerror})")]) from None
    return decode(raw, shown)


def decode(raw: bytes, shown: str) -> str:
    """Decode file bytes as UTF-8 (BOM allowed); refuse binary and other encodings, located."""
    if b"\x00" in raw[:8192]:
        raise InputError([Problem(shown, None, None, None, "is a binary file, expected YAML text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            raw.decode("cp932")
            hint = " It looks like Shift_JIS (CP932): re-save it as UTF-8."
        except UnicodeDecodeError:
            pass
        raise InputError(
            [
                Problem(
                    shown,
                    line,
                    column,
                    None,
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); sti-review reads UTF-8 only.{hint}",
                )
            ]
        ) from None


def load_file(path: str | os.PathLike[str]) -> Document:
    """Read and parse one YAML file."""
    shown = display_path(path)
    return parse(read_text(path), shown)


def parse(text: str, shown: str) -> Document:
    """Parse YAML text into a Document, or raise InputError with every located problem."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m) or "invalid YAML"
        raise InputError(
            [
                Problem(
                    shown,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                    None,
                    f"YAML syntax error: {message}",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(shown, None, None, None, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(shown, None, None, None, f"nested too deeply (more than {MAX_DEPTH} levels)")]
        ) from None
    finally:
        loader.dispose()
    if root is None:
        raise InputError([Problem(shown, None, None, None, "is empty, expected a YAML mapping")])
    builder = _Builder(shown, loader)
    data = builder.build(root, 0)
    if builder.problems:
        raise InputError(builder.problems)
    return Document(shown, data, root)


class _Builder:
    """Turns a node tree into plain data, collecting problems instead of stopping at the first."""

    def __init__(self, shown: str, loader: Any):
        self.shown = shown
        self.loader = loader
        self.count = 0
        self.problems: list[Problem] = []

    def _problem(self, node: yaml.Node, message: str) -> None:
        m = node.start_mark
        self.problems.append(Problem(self.shown, m.line + 1, m.column + 1, None, message))

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            self._problem(node, f"has more than {MAX_VALUES:,} values (an alias bomb?)")
            raise InputError(self.problems)
        if depth > MAX_DEPTH:
            self._problem(node, f"nested too deeply (more than {MAX_DEPTH} levels)")
            raise InputError(self.problems)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._problem(node, f"YAML tag {node.tag!r} is not allowed")
                return None
            return [self.build(child, depth + 1) for child in node.value]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                self._problem(node, f"YAML tag {node.tag!r} is not allowed")
                return None
            result: dict[Any, Any] = {}
            first_line: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                    self._problem(key_node, "keys must be plain names (no lists, mappings or merges)")
                    continue
                key = self._scalar(key_node)
                line = key_node.start_mark.line + 1
                if key in first_line:
                    self._problem(
                        key_node,
                        f"duplicate key {key_node.value!r} (first on line {first_line[key]})",
                    )
                    continue
                first_line[key] = line
                result[key] = self.build(value_node, depth + 1)
            return result
        self._problem(node, "unsupported YAML node")  # pragma: no cover
        return None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _TAG + "bool":
            lowered = node.value.lower()
            return _TRUE_FALSE.get(lowered, node.value)
        if tag == _TAG + "timestamp":
            return node.value
        if tag == _TAG + "str" and node.style == ">":
            return _FOLDED_JA_SPACE.sub("", node.value)
        if tag in (_TAG + "int", _TAG + "float") and ":" in node.value:
            return node.value  # YAML 1.1 base-60 (1:30 -> 90) surprises everyone: keep the text
        if tag in _PLAIN_SCALARS:
            try:
                return self.loader.yaml_constructors[tag](self.loader, node)
            except (ValueError, OverflowError) as exc:
                self._problem(node, f"cannot read {node.value[:40]!r}: {exc}")
                return None
        self._problem(node, f"YAML tag {tag!r} is not allowed")
        return None

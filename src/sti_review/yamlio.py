"""Safe YAML loading that remembers where every value came from.

Files are parsed with PyYAML's safe composer (libyaml when available) and turned
into plain Python data by our own walk, which
- accepts only the plain YAML types (mappings, sequences, strings, numbers, booleans, null),
- rejects duplicate keys, naming both lines (PyYAML would silently keep the last),
- treats YAML 1.1 spellings such as ``yes``/``no``/``on``/``off`` as strings (``country: NO``
  is Norway, not false),
- keeps YAML 1.1 octal, hexadecimal and binary spellings (``010``, ``0x1F``) as text,
- caps size, depth and the number of values, so an alias bomb or a huge file ends at once.
Positions are looked up lazily, only when there is an error to report.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import gc
import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import InputError, Problem, Text
from .fileio import read_regular

try:  # libyaml is much faster; fall back to the pure-Python composer.
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

_RESOLVED: dict[tuple[Any, Any, Any], str] = {}
_RESOLVE_CAP = 50_000  # entries; short values only, so the memo stays a few MB at most


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, with its resolver's answers remembered (issue 17).

    The composer asks the Python resolver for the tag of every node (a loop over regular
    expressions for each plain scalar); the answer depends only on the node's kind, value and
    implicitness, and a call repeats the same keys and values thousands of times. The safe
    loader has no path resolvers, so descending and ascending have nothing to do."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        key = (kind, value, implicit)
        try:
            return _RESOLVED[key]
        except KeyError:
            pass
        except TypeError:  # pragma: no cover - an unhashable value: ask the resolver
            return _Base.resolve(self, kind, value, implicit)
        tag = _Base.resolve(self, kind, value, implicit)
        if (value is None or len(value) <= 64) and len(_RESOLVED) < _RESOLVE_CAP:
            _RESOLVED[key] = tag
        return tag

    descend_resolver = staticmethod(slice)  # two arguments, nothing done, in C
    ascend_resolver = staticmethod(tuple)  # no argument, nothing done, in C


MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 50_000
# Above this many characters the file's values are counted before the node tree is built:
# building costs ~3 µs a node, so a 5 MB list of a million short values would take seconds.
_COUNT_ABOVE = 64 * 1024

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {_TAG + t for t in ("str", "int", "float", "null")}
_TRUE_FALSE = {"true": True, "false": False}
# Folding (`>`) turns each line break into a space. Japanese has no spaces between words, so a
# space that folding put between two Japanese characters is removed again.
_WIDE_RANGES = ((0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
_WIDE = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _WIDE_RANGES)  # as a regular-expression class
_FOLD_RULE: list[re.Pattern[str]] = []  # the rule as a regular expression, once a run needs it
_FOLDS_BY_HAND = 200  # folded texts unfolded by hand before the regular expression is compiled


def _wide(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _WIDE_RANGES)  # the first texts of a run only


def unfold_japanese(text: str) -> str:
    """``text`` without the spaces folding put between two Japanese characters (those of
    ``_WIDE``). The regular expression of the rule is the fast way for a call's thousands of
    texts, but compiling its ranges costs ~2.3 ms, which a single file's command would pay at
    every start (issue 17): the first texts of a run are unfolded by splitting at spaces, and
    the expression is compiled once a run has many. Both give the same text (a test keeps it)."""
    if " " not in text:
        return text
    if _FOLD_RULE:
        return _FOLD_RULE[0].sub("", text)
    global _FOLDS_BY_HAND
    _FOLDS_BY_HAND -= 1
    if _FOLDS_BY_HAND < 0:
        # written space first (the look-behind checks the character before it): the engine
        # scans for spaces instead of testing the look-behind at every character
        _FOLD_RULE.append(re.compile(f" (?<=[{_WIDE}] )(?=[{_WIDE}])"))
        return _FOLD_RULE[0].sub("", text)
    parts = text.split(" ")
    out = [parts[0]]
    for part in parts[1:]:
        last = out[-1]
        if last and part and _wide(last[-1]) and _wide(part[0]):
            out[-1] = last + part
        else:
            out.append(part)
    return " ".join(out)


# YAML 1.1 reads 010 as 8 and 0x10 as 16: nobody typing a score or a budget means that.
_RADIX_INT = re.compile(r"[-+]?0[0-9a-zA-Z_]")
_KANA = re.compile("[\u3041-\u30ff]")


# YAML 1.1 (PyYAML, libyaml) also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR;
# YAML 1.2 and editors do not. Positions are translated so that line numbers match an editor's.
_OTHER_BREAKS = {"\x85": "U+0085", "\u2028": "U+2028", "\u2029": "U+2029"}
_ANY_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class LineMap:
    """Translates a position counted with YAML 1.1's line breaks into one counted with LF, CRLF
    and CR only (YAML 1.2, editors). Built only for text that contains the other breaks."""

    def __init__(self, text: str):
        self.yaml_starts = [0]
        self.starts = [0]
        for m in _ANY_BREAK.finditer(text):
            self.yaml_starts.append(m.end())
            if m.group() not in _OTHER_BREAKS:
                self.starts.append(m.end())
        found = sorted({c for c in _OTHER_BREAKS if c in text})
        self.note = (
            f" (the file contains {', '.join(_OTHER_BREAKS[c] for c in found)}, which some tools count"
            " as a line break; line numbers here count only LF, CRLF and CR, as editors do)"
        )

    def position(self, line: int, column: int) -> tuple[int, int]:
        """1-based (line, column) from 0-based YAML 1.1 (line, column)."""
        if line >= len(self.yaml_starts):
            return line + 1, column + 1
        offset = self.yaml_starts[line] + column
        true = bisect_right(self.starts, offset) - 1
        return true + 1, offset - self.starts[true] + 1


def line_map(text: str) -> LineMap | None:
    """A LineMap when ``text`` holds a character YAML 1.1 takes for a line break, else None."""
    return LineMap(text) if any(c in text for c in _OTHER_BREAKS) else None


def mark_position(mark: Any, lines: LineMap | None) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark, as an editor counts them."""
    if lines is None:
        return mark.line + 1, mark.column + 1
    return lines.position(mark.line, mark.column)


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
    """A parsed YAML file: its data and the node tree for locating values.

    A file read by the plain-data path has no node tree until a value has to be located: the
    text is then composed again (``text``), once."""

    path: str
    data: Any
    _root: yaml.Node | None
    # key -> (key node, value node) per mapping node, built when first asked: a file with
    # thousands of problems is located in linear time, not quadratic.
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    lines: LineMap | None = field(default=None, repr=False, compare=False)
    text: str | None = field(default=None, repr=False, compare=False)

    @property
    def root(self) -> yaml.Node | None:
        if self._root is None and self.text is not None:
            text, self.text = self.text, None
            with gc_paused():
                self._root, _ = _compose(text, self.path, self.lines)
        return self._root

    def _entries(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        entries = self._keys.get(id(node))
        if entries is None:
            entries = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    entries.setdefault(key_node.value, (key_node, value_node))
            self._keys[id(node)] = entries
        return entries

    def _child(self, node: yaml.Node | None, part: Any) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            entry = self._entries(node).get(str(part))
            return entry[1] if entry else None
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                return node.value[part]
        return None

    def _walk(self, loc: Iterable[Any]) -> yaml.Node | None:
        """The deepest node on ``loc`` that exists (the root for an empty path)."""
        node = self.root
        for part in loc:
            child = self._child(node, part)
            if child is None:
                break
            node = child
        return node

    def locate(self, loc: Iterable[Any]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node on ``loc`` that exists."""
        node = self._walk(loc)
        if node is None:
            return None, None
        return mark_position(node.start_mark, self.lines)

    def key_location(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """Line and column of the key of the last element of ``loc`` (its name, not its value)."""
        parent = self._walk(loc[:-1])
        if isinstance(parent, yaml.MappingNode):
            entry = self._entries(parent).get(str(loc[-1]))
            if entry is not None:
                key_node = entry[0]
                return mark_position(key_node.start_mark, self.lines)
        return self.locate(loc)

    def problem(self, loc: tuple[Any, ...], message: str, *, at_key: bool = False) -> Problem:
        line, col = self.key_location(loc) if at_key and loc else self.locate(loc)
        note = self.lines.note if self.lines is not None else ""
        return Problem(self.path, line, col, format_field(loc) or None, message + note)


def read_text(path: str | os.PathLike[str], digest: list[bytes] | None = None) -> str:
    """Read a YAML text file (see :func:`decode`), with located errors for everything else.

    With ``digest``, the SHA-256 of exactly the bytes read is appended to it (for the cache)."""
    shown = display_path(path)

    def too_large(size: int | None) -> InputError:
        if size is None:  # a device or pipe: no size, read up to the limit
            message = Text("err.too_big_stream", max=f"{MAX_BYTES:,}")
        else:
            message = Text("err.too_big", size=f"{size:,}", max=f"{MAX_BYTES:,}")
        return InputError([Problem(shown, None, None, None, message)])

    raw = read_regular(path, MAX_BYTES, shown)
    if len(raw) > MAX_BYTES:
        try:
            size: int | None = os.stat(path).st_size
        except OSError:
            size = None
        raise too_large(size if size and size > MAX_BYTES else None)
    if digest is not None:
        import hashlib

        digest.append(hashlib.sha256(raw).digest())
    return decode(raw, shown)


# Byte-order marks say the encoding without guessing (UTF-32 first: its LE mark starts like UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(raw: bytes, shown: str) -> str:
    """Decode file bytes: UTF-8, or UTF-16/32 when a byte-order mark says so.

    Anything else is refused, located, with a hint at what the file seems to be (Shift_JIS,
    EUC-JP, UTF-16 without a mark): guessing would silently garble names.
    """
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in raw[:8192]:
        sample = raw[:8192]
        if sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4:
            message = Text("err.utf16_no_bom")
        else:
            message = Text("err.binary")
        raise InputError([Problem(shown, None, None, None, message)])
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        if encoding != "utf-8":
            name = encoding.upper().replace("-SIG", "")
            message = Text("err.bad_bom_text", encoding=name)
            raise InputError([Problem(shown, line, column, None, message)]) from None
        raise InputError(
            [
                Problem(
                    shown,
                    line,
                    column,
                    None,
                    Text("err.not_utf8", byte=f"0x{raw[exc.start]:02x}", hint=_encoding_hint(raw)),
                )
            ]
        ) from None


def _encoding_hint(raw: bytes) -> str:
    """What the bytes look like, when we can tell: Japanese text has kana in it."""
    for codec, name in (("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP")):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _KANA.search(text):
            return Text("err.looks_like", encoding=name)
    return Text("err.resave_utf8")


def load_file(path: str | os.PathLike[str]) -> Document:
    """Read and parse one YAML file."""
    shown = display_path(path)
    return parse(read_text(path), shown)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that form no cycles
    (node trees, plain data, models): its passes over a growing heap halve the speed on a large
    file. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


FAST = True  # the plain-data path (tests compare it with the located path)


def parse(text: str, shown: str) -> Document:
    """Parse YAML text into a Document, or raise InputError with every located problem.

    A well-formed file is built straight from libyaml's events into plain data (no node tree,
    see ``_plain``); anything that path is not sure of, and every error, goes through the
    located path, which gives the messages with their lines and columns."""
    lines = line_map(text)
    if FAST and len(text) <= _COUNT_ABOVE:
        try:
            with gc_paused():
                data = _plain(text)
        except _Unsure:
            pass
        else:
            return Document(shown, data, None, lines=lines, text=text)
    try:
        with gc_paused():
            if len(text) > _COUNT_ABOVE:
                _count_values(text, shown, lines)
            root, loader = _compose(text, shown, lines)
            if root is None:
                raise InputError([Problem(shown, None, None, None, Text("err.empty_yaml"))])
            builder = _Builder(shown, loader, lines)
            data = builder.build(root, 0)
        if builder.problems:
            raise InputError(builder.problems)
    except InputError as exc:
        if lines is not None:
            for i, pr in enumerate(exc.problems):
                if pr.file == shown and pr.line is not None and not pr.message.endswith(lines.note):
                    exc.problems[i] = dataclasses.replace(pr, message=pr.message + lines.note)
        raise
    return Document(shown, data, root, lines=lines)


def _compose(text: str, shown: str, lines: LineMap | None = None) -> tuple[yaml.Node | None, Any]:
    try:
        loader = _Loader(text)
    except UnicodeEncodeError:  # lone surrogates: only in text from a caller, never from a file
        raise InputError([Problem(shown, None, None, None, Text("err.not_unicode"))]) from None
    try:
        return loader.get_single_node(), loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        began = None
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            # "while scanning a quoted scalar on line 4, found unexpected end of stream": where
            # the unclosed quote or bracket began is what the reader needs
            began = mark_position(exc.context_mark, lines)[0]
        message = syntax_detail(exc.context, exc.problem, began)
        line, column = mark_position(mark, lines) if mark else (None, None)
        raise InputError(
            [
                Problem(
                    shown,
                    line,
                    column,
                    None,
                    Text("err.yaml_syntax", detail=message),
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        line, column = _reader_position(text, exc.position)
        what = Text("err.yaml_char_what")
        if isinstance(exc.character, int):
            what = Text.concat(what, f" U+{exc.character:04X}")
        message = Text("err.yaml_char", what=what, reason=exc.reason)
        raise InputError([Problem(shown, line, column, None, message)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(shown, None, None, None, f"YAML error: {exc}")]) from None
    except RecursionError:  # the pure-Python parser has no nesting limit of its own
        raise InputError([Problem(shown, None, None, None, Text("err.too_deep", max=MAX_DEPTH))]) from None
    finally:
        loader.dispose()


# PyYAML's (libyaml's) words for what it was reading and what it found, and their catalogue
# keys: a syntax error is said in the user's language; a phrase not listed stays as PyYAML
# wrote it, inside the translated frame.
_YAML_CONTEXTS = (
    "while parsing a block mapping",
    "while parsing a flow mapping",
    "while parsing a flow sequence",
    "while parsing a block collection",
    "while parsing a block node",
    "while parsing a flow node",
    "while parsing a node",
    "while parsing a quoted scalar",
    "while scanning a quoted scalar",
    "while scanning a plain scalar",
    "while scanning a block scalar",
    "while scanning an anchor",
    "while scanning an alias",
    "while scanning a tag",
    "while parsing a tag",
    "while scanning a simple key",
    "while scanning for the next token",
    "while scanning a directive",
    "while scanning a %YAML directive",
    "while scanning a %TAG directive",
    "while parsing implicit document start",
    "expected a single document in the stream",
)
_YAML_PROBLEMS = (
    "mapping values are not allowed in this context",
    "mapping values are not allowed here",
    "did not find expected key",
    "found unexpected end of stream",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "did not find expected '-' indicator",
    "found character that cannot start any token",
    "found undefined alias",
    "did not find expected alphabetic or numeric character",
    "found undefined tag handle",
    "found unknown escape character",
    "found duplicate %YAML directive",
    "did not find expected <document start>",
    "found a tab character where an indentation space is expected",
    "found a tab character that violates indentation",
    "but found another document",
    "did not find expected hexdecimal number",
    "did not find expected comment or line break",
    "could not find expected ':'",
    "block sequence entries are not allowed in this context",
    "did not find expected node content",
    "found unexpected ':'",
    "found an indentation indicator equal to 0",
    "found unexpected document indicator",
)


def _phrase_key(kind: str, phrase: str | None, known: tuple[str, ...]) -> str | None:
    if phrase not in known:
        return None
    named = phrase.lower().translate(_MARK_NAMES)  # type: ignore[union-attr]
    return f"yaml.{kind}." + re.sub(r"[^a-z0-9]+", "_", named).strip("_")


_MARK_NAMES = str.maketrans({"]": " bracket ", "}": " brace ", ":": " colon ", "-": " dash "})


def syntax_detail(context: str | None, problem: str | None, began: int | None = None) -> str:
    """What PyYAML said, as a Text of ours wherever its words are known."""
    ctx_key = _phrase_key("ctx", context, _YAML_CONTEXTS)
    prob_key = _phrase_key("problem", problem, _YAML_PROBLEMS)
    ctx: str | None = Text(ctx_key) if ctx_key else context
    prob: str = Text(prob_key) if prob_key else (problem or "")
    if not ctx or not prob:
        return ctx or prob or Text("yaml.invalid")
    if began is not None and context == "expected a single document in the stream":
        return Text("yaml.detail_second_document", line=began, problem=prob)
    if began is not None:
        return Text("yaml.detail_began", context=ctx, line=began, problem=prob)
    return Text("yaml.detail", context=ctx, problem=prob)


def _reader_position(text: str, position: int) -> tuple[int, int]:
    """Line and column of a reader error: libyaml counts UTF-8 bytes, pure-Python characters."""
    if _Base is not yaml.SafeLoader:
        before = text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "replace")
    else:  # pragma: no cover - depends on how PyYAML was built
        before = text[:position]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _count_values(text: str, shown: str, lines: LineMap | None = None) -> None:
    """Refuse a file with more than MAX_VALUES values before building its tree.

    Reading events is ~5x cheaper than building nodes and stops at the limit. Syntax errors are
    left to the real parse, which reports them located.
    """
    try:
        loader = _Loader(text)
    except UnicodeEncodeError:
        return  # reported by the real parse
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > MAX_VALUES:
                    line, column = mark_position(event.start_mark, lines)
                    raise InputError(
                        [
                            Problem(
                                shown,
                                line,
                                column,
                                None,
                                Text("err.too_many_values", max=f"{MAX_VALUES:,}"),
                            )
                        ]
                    )
    except (yaml.YAMLError, RecursionError):
        pass
    finally:
        loader.dispose()


class _Builder:
    """Turns a node tree into plain data, collecting problems instead of stopping at the first."""

    def __init__(self, shown: str, loader: Any, lines: LineMap | None = None):
        self.shown = shown
        self.lines = lines
        self.loader = loader
        self.count = 0
        self.problems: list[Problem] = []

    def _problem(self, node: yaml.Node, message: str) -> None:
        line, column = mark_position(node.start_mark, self.lines)
        self.problems.append(Problem(self.shown, line, column, None, message))

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            self._problem(node, Text("err.alias_bomb", max=f"{MAX_VALUES:,}"))
            raise InputError(self.problems)
        if depth > MAX_DEPTH:
            self._problem(node, Text("err.too_deep", max=MAX_DEPTH))
            raise InputError(self.problems)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._problem(node, Text("err.tag", tag=repr(node.tag)))
                return None
            return [self.build(child, depth + 1) for child in node.value]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                self._problem(node, Text("err.tag", tag=repr(node.tag)))
                return None
            result: dict[Any, Any] = {}
            first: dict[Any, yaml.Node] = {}  # the line is looked up only for a duplicate
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                    self._problem(key_node, Text("err.plain_keys"))
                    continue
                key = self._scalar(key_node)
                if key in first:
                    line = mark_position(first[key].start_mark, self.lines)[0]
                    self._problem(
                        key_node,
                        Text("err.duplicate_key", name=repr(key_node.value), line=line),
                    )
                    continue
                first[key] = key_node
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
            return unfold_japanese(node.value)
        if tag in (_TAG + "int", _TAG + "float") and ":" in node.value:
            return node.value  # YAML 1.1 base-60 (1:30 -> 90) surprises everyone: keep the text
        if tag == _TAG + "int" and not node.style and _RADIX_INT.match(node.value):
            return node.value  # YAML 1.1 octal / hex / binary (010 -> 8): keep the text
        if tag in _PLAIN_SCALARS:
            try:
                return self.loader.yaml_constructors[tag](self.loader, node)
            except (ValueError, OverflowError) as exc:
                reason = Text("err.number_too_long") if len(node.value) > 100 else str(exc)
                shown = node.value[:40] + ("…" if len(node.value) > 40 else "")
                self._problem(node, Text("err.cannot_read_value", value=repr(shown), reason=reason))
                return None
        self._problem(node, Text("err.tag", tag=repr(tag)))
        return None


class _Unsure(Exception):
    """The plain-data path leaves this file to the located path."""


_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_MAP_END = yaml.MappingEndEvent
_SEQ_START = yaml.SequenceStartEvent
_SEQ_END = yaml.SequenceEndEvent


def _plain(text: str) -> Any:
    """Plain data from libyaml's events, by the rules of ``_Builder``, or ``_Unsure``.

    Only what ``_Builder`` would accept without a problem is built here: an anchor, an alias,
    an explicit tag, a merge or non-scalar key, a duplicate key, a number that does not
    convert, too deep or too many values, a syntax error, several or no documents, all raise
    ``_Unsure`` and the file is parsed again by the located path (which reports them)."""
    try:
        loader = _Loader(text)
    except UnicodeEncodeError:
        raise _Unsure from None
    try:
        get = loader.get_event
        get()  # stream start
        event = get()
        if not isinstance(event, yaml.DocumentStartEvent):
            raise _Unsure  # an empty stream
        count = [0]
        data = _plain_node(loader, get(), get, 0, count)
        if not isinstance(get(), yaml.DocumentEndEvent) or not isinstance(get(), yaml.StreamEndEvent):
            raise _Unsure  # a second document
        return data
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError, TypeError):
        raise _Unsure from None
    finally:
        loader.dispose()


def _plain_node(loader: Any, event: Any, get: Any, depth: int, count: list[int]) -> Any:
    count[0] += 1
    if count[0] > MAX_VALUES or depth > MAX_DEPTH or event.anchor is not None:
        raise _Unsure
    kind = type(event)
    if kind is _SCALAR:
        return _plain_scalar(loader, event)
    if kind is _MAP_START:
        if not event.implicit:  # an explicit tag, even !!map: left to the located path
            raise _Unsure
        result: dict[Any, Any] = {}
        inner = depth + 1
        while True:
            key_event = get()
            if type(key_event) is _MAP_END:
                return result
            if type(key_event) is not _SCALAR or key_event.anchor is not None:
                raise _Unsure
            count[0] += 1
            key = _plain_scalar(loader, key_event)
            if key in result:
                raise _Unsure  # a duplicate: reported with both lines by the located path
            value_event = get()
            if type(value_event) is _SCALAR:  # most values: the checks of _plain_node, inline
                count[0] += 1
                if count[0] > MAX_VALUES or inner > MAX_DEPTH or value_event.anchor is not None:
                    raise _Unsure
                result[key] = _plain_scalar(loader, value_event)
            else:
                result[key] = _plain_node(loader, value_event, get, inner, count)
    if kind is _SEQ_START:
        if not event.implicit:
            raise _Unsure
        items = []
        while True:
            item = get()
            if type(item) is _SEQ_END:
                return items
            items.append(_plain_node(loader, item, get, depth + 1, count))
    raise _Unsure  # an alias


_NO_TAG = (None, "!")
# What a short plain scalar gives, by (value, implicit, style): a call repeats the same keys
# and values thousands of times, and the answer (an immutable str, int, float, bool or None)
# depends on nothing else once its tag is none or "!" (issue 17).
_SCALARS: dict[tuple[str, Any, Any], Any] = {}
_SCALARS_CAP = 50_000
_SCALAR_MEMO_LEN = 64


def _plain_scalar(loader: Any, event: Any) -> Any:
    tag = event.tag
    if tag is not None and tag != "!":
        raise _Unsure
    value = event.value
    if len(value) > _SCALAR_MEMO_LEN:
        return _scalar_value(loader, value, event.implicit, event.style)
    key = (value, event.implicit, event.style)
    try:
        return _SCALARS[key]
    except KeyError:
        pass
    out = _scalar_value(loader, value, event.implicit, event.style)
    if len(_SCALARS) < _SCALARS_CAP:
        _SCALARS[key] = out
    return out


def _scalar_value(loader: Any, value: str, implicit: Any, style: Any) -> Any:
    tag = loader.resolve(yaml.ScalarNode, value, implicit)  # as the composer does
    if tag == _TAG + "str":
        return unfold_japanese(value) if style == ">" else value
    if tag == _TAG + "bool":
        return _TRUE_FALSE.get(value.lower(), value)
    if tag == _TAG + "timestamp":
        return value
    if tag == _TAG + "merge":
        raise _Unsure
    if tag in (_TAG + "int", _TAG + "float") and ":" in value:
        return value
    if tag == _TAG + "int" and not style and _RADIX_INT.match(value):
        return value
    if tag in _PLAIN_SCALARS:
        return loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, value, style=style))
    raise _Unsure

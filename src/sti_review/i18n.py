"""The program's own words, read from one gettext catalogue per language, and how the language
is chosen.

Catalogues are ``locales/<lang>/LC_MESSAGES/sti_review.po`` in this package (and, first, in
the folder named by ``STI_REVIEW_LOCALES`` when set). A msgid is a stable key such as
``outcome_pass`` or ``findings.severity`` (docs/decisions.md); placeholders are ``{name}``.
A language is available when it has a catalogue: adding one needs no code change. The ``.po``
text is read directly (a few hundred entries, about a millisecond), so there is no build step
and no ``.mo`` file to keep in step with it.

Rubric text is not here: the rubric carries it, a text per language.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

Lang = str  # a language with a catalogue: "ja", "en", or any other dropped into locales/

DOMAIN = "sti_review"
DEFAULT = "en"  # the language a missing msgid falls back to
LOCALES = Path(__file__).with_name("locales")


def locale_dirs() -> list[Path]:
    extra = os.environ.get("STI_REVIEW_LOCALES")
    return ([Path(extra)] if extra else []) + [LOCALES]


def _po_path(lang: str) -> Path | None:
    if not lang or "/" in lang or "\\" in lang or lang.startswith("."):
        return None
    for folder in locale_dirs():
        path = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


_LANGUAGES: dict[str | None, list[str]] = {}


def languages() -> list[str]:
    """Every language with a catalogue, sorted (read once per process and locales folder)."""
    where = _PINNED[0] if _PINNED else os.environ.get("STI_REVIEW_LOCALES")
    if where not in _LANGUAGES:
        found: set[str] = set()
        for folder in locale_dirs():
            if folder.is_dir():
                found.update(
                    p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
                )
        _LANGUAGES[where] = sorted(found)
    return list(_LANGUAGES[where])


# --- reading a .po file ------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text!r}")
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


class Catalogue:
    """One language's messages: msgid -> text, or msgid -> plural forms.

    (A plain class: ``dataclasses`` would import ``inspect``, ~10 ms at every start.)
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.messages: dict[str, str] = {}
        self.plurals: dict[str, list[str]] = {}
        self.plural: Callable[[int], int] = _english_plural
        self.plural_expr: str | None = None  # the Plural-Forms expression ``plural`` came from


def _english_plural(n: int) -> int:
    return int(n != 1)


def parse_po(text: str, lang: str = "") -> Catalogue:
    """The entries of a .po file. Obsolete (#~) and fuzzy entries are left out, as msgfmt does."""
    cat = Catalogue(lang)
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal current, key, fuzzy
        if "msgid" in current and not fuzzy:
            entries.append(current)
        current, key, fuzzy = {}, None, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        try:
            if not line:
                flush()
            elif line.startswith("#"):
                if line.startswith("#,") and "fuzzy" in line:
                    if "msgid" in current:
                        flush()
                    fuzzy = True
            elif line.startswith('"'):
                if key is None:
                    raise ValueError("a continuation line with nothing to continue")
                current[key] = str(current[key]) + _unquote(line)
            else:
                word, _, rest = line.partition(" ")
                if word == "msgid" and ("msgid" in current):
                    flush()
                if (word.startswith("msgstr[") and word.endswith("]")) or word in (
                    "msgid",
                    "msgid_plural",
                    "msgstr",
                    "msgctxt",
                ):
                    key = word
                else:
                    raise ValueError(f"unknown keyword {word!r}")
                current[key] = _unquote(rest)
        except ValueError as exc:
            raise ValueError(f"{lang or 'catalogue'}:{number}: {exc}") from None
    flush()
    for entry in entries:
        msgid = str(entry["msgid"])
        if msgid == "":
            header = str(entry.get("msgstr", ""))
            match = re.search(r"Plural-Forms:\s*nplurals=\s*\d+;\s*plural=([^;\n]+)", header)
            if match:
                import gettext

                cat.plural_expr = match.group(1).strip()
                cat.plural = gettext.c2py(cat.plural_expr)
            continue
        if "msgid_plural" in entry:
            forms = [str(entry[k]) for k in sorted(k for k in entry if str(k).startswith("msgstr["))]
            if any(forms):
                cat.plurals[msgid] = forms
        elif entry.get("msgstr"):
            cat.messages[msgid] = str(entry["msgstr"])
    return cat


_LOADED: dict[tuple[str | None, str], Catalogue | None] = {}
_PINNED: list[str | None] = []  # the locales folder for the rest of a short-lived process


def pin_environment() -> None:
    """Read ``STI_REVIEW_LOCALES`` once from now on: for the CLI process, whose environment does
    not change while it runs (a ranking of 10,000 proposals looks words up ~100,000 times).
    Library callers and tests that change the environment in-process never call this."""
    _PINNED[:] = [os.environ.get("STI_REVIEW_LOCALES")]
    _WORDS.clear()
    _SCOPED.clear()


def load(lang: str) -> Catalogue | None:
    """The catalogue of ``lang``, read once per process and locales folder."""
    where = (_PINNED[0] if _PINNED else os.environ.get("STI_REVIEW_LOCALES"), lang)
    if where in _LOADED:
        return _LOADED[where]
    path = _po_path(lang)
    cat = None
    if path is not None:
        try:
            cat = _parsed_before(path, lang)
            if cat is None:
                cat = parse_po(path.read_text(encoding="utf-8"), str(path))
                _keep_parsed(path, lang, cat)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            # A broken catalogue must not take the program down: its words fall back to English.
            import sys

            sys.stderr.write(f"sti-review: {exc}; catalogue ignored\n")
    _LOADED[where] = cat
    return cat


# --- parsed catalogues kept on disk by the command-line process (issue 17, start-up) -------------
# Parsing a .po file of ~1,100 entries costs several milliseconds, twice for a Japanese run (ja,
# and en behind it). While the CLI's disk caches are on (``rubric_cache.enable()``: sti-review's
# main() only, never a library user; ``STI_REVIEW_NO_CACHE=1`` turns them off) the parsed entries
# are kept with marshal in ``<cache folder>/catalogues/``, one file per catalogue file, named by
# its path and used only while its size and modification time are those stored in it: an
# edited catalogue is parsed again and its entry replaced. A damaged or
# unreadable entry is ignored and rewritten; a folder that cannot be written costs only the speed.

_PARSED_MAGIC = b"sti-review-catalogue-1\n"


def _parsed_file(path: Path) -> tuple[Path, tuple[int, int]] | None:
    """The entry of ``path`` (named by its resolved path: an edited catalogue replaces its own
    entry) and the (size, mtime_ns) stamp the entry must carry to be used."""
    import sys

    caches = sys.modules.get("sti_review.rubric_cache")
    if caches is None or not caches.enabled():
        return None
    import hashlib

    st = path.stat()
    name = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return caches.folder().parent / "catalogues" / f"{name}.marshal", (st.st_size, st.st_mtime_ns)


def _parsed_before(path: Path, lang: str) -> Catalogue | None:
    import marshal

    try:
        found = _parsed_file(path)
        if found is None:
            return None
        file, stamp = found
        data = file.read_bytes()
        if not data.startswith(_PARSED_MAGIC):
            return None
        stored, messages, plurals, expr = marshal.loads(data[len(_PARSED_MAGIC) :])
        if stored != stamp or not (
            isinstance(messages, dict)
            and all(type(k) is str and type(v) is str for k, v in messages.items())
            and isinstance(plurals, dict)
            and all(
                type(k) is str and type(v) is list and all(type(f) is str for f in v)
                for k, v in plurals.items()
            )
            and (expr is None or type(expr) is str)
        ):
            return None
        cat = Catalogue(lang)
        cat.messages, cat.plurals, cat.plural_expr = messages, plurals, expr
        if expr is not None:
            import gettext

            cat.plural = gettext.c2py(expr)
        return cat
    except Exception:  # missing, damaged, another format: parse the .po file again
        return None


def _keep_parsed(path: Path, lang: str, cat: Catalogue) -> None:
    import contextlib
    import marshal

    tmp: Path | None = None
    try:
        found = _parsed_file(path)
        if found is None:
            return
        file, stamp = found
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_PARSED_MAGIC + marshal.dumps((stamp, cat.messages, cat.plurals, cat.plural_expr)))
        os.replace(tmp, file)
    except Exception:  # a read-only or full disk costs only the speed-up
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


# --- looking words up --------------------------------------------------------------------------


_WORDS: dict[tuple[str, str], str] = {}  # (key, lang) -> text, once the environment is pinned
_SCOPED: dict[tuple[str, str, str], str] = {}  # (scope, key, lang) -> the key ``catalog`` looks up


def _lookup(key: str, lang: str) -> str:
    if _PINNED:  # the catalogues cannot change any more: a report's ~100,000 look-ups, one dict each
        found = _WORDS.get((key, lang))
        if found is not None:
            return found
    for candidate in (lang, DEFAULT):
        cat = load(candidate)
        if cat is not None and key in cat.messages:
            text = cat.messages[key]
            if _PINNED:  # only words found: a key in no catalogue is looked for again
                _WORDS[(key, lang)] = text
            return text
    return key


def t(key: str, lang: Lang, **kwargs: object) -> str:
    """The words for ``key`` in ``lang`` (else English, else the key), placeholders filled."""
    text = _lookup(key, lang)
    return text.format(**kwargs) if kwargs else text


def tn(key: str, n: int, lang: Lang, **kwargs: object) -> str:
    """A message that depends on a count ``n``, by the catalogue's Plural-Forms; ``{n}`` is n."""
    for candidate in (lang, DEFAULT):
        cat = load(candidate)
        if cat is not None and key in cat.plurals:
            forms = cat.plurals[key]
            index = cat.plural(n)
            text = forms[index] if 0 <= index < len(forms) and forms[index] else forms[-1]
            return text.format(n=n, **kwargs)
    return t(key, lang, n=n, **kwargs)


def join(items: Iterable[str], lang: Lang) -> str:
    """A list in running text: 'A2, B1' / 'A2、B1' (the catalogue's ``list_sep``)."""
    return t("list_sep", lang).join(items)


def catalog(scope: str):  # type: ignore[no-untyped-def]
    """A ``t``-like function for one part of the program.

    ``catalog("panel")`` looks ``key`` up as ``panel.key`` first, then as ``key``.
    """
    prefix = scope + "."

    def choose(key: str, lang: str) -> str:
        scoped = prefix + key
        for candidate in (lang, DEFAULT):
            cat = load(candidate)
            if cat is not None and scoped in cat.messages:
                return scoped
        return key

    def translate(key: str, lang: Lang, **kwargs: object) -> str:
        if not _PINNED:
            return t(choose(key, lang), lang, **kwargs)
        memo = (scope, key, lang)
        use = _SCOPED.get(memo)
        if use is None:
            use = _SCOPED[memo] = choose(key, lang)
        return t(use, lang, **kwargs)

    return translate


# --- choosing the language ---------------------------------------------------------------------


def _match(value: str, available: Sequence[str]) -> str | None:
    """'ja_JP.UTF-8' -> 'ja'; 'en-XA' -> 'en-XA' when it has a catalogue, else 'en'."""
    v = value.strip().split(".")[0].split("@")[0]
    for candidate in (v, v.replace("_", "-"), v.replace("-", "_")):
        if candidate in available:
            return candidate
    base = re.split(r"[-_]", v)[0].lower()
    return base if base in available else None


def detect_lang(explicit: str | None = None) -> Lang:
    """--lang, else STI_REVIEW_LANG, else the locale; a language without a catalogue gives en.

    An explicit --lang with no catalogue is refused by the CLI (``check_lang``) before this.
    """
    available = languages()
    for value in (explicit, os.environ.get("STI_REVIEW_LANG")):
        if value:
            found = _match(value, available)
            if found:
                return found
    # gettext's order: LANGUAGE (a list, first entry wins), then the POSIX variables.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").split(":")[0]
        if value and value not in ("C", "POSIX"):
            return _match(value, available) or DEFAULT
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return _match(loc, available) or DEFAULT if loc else DEFAULT


def is_available(lang: str) -> bool:
    return _match(lang, languages()) is not None

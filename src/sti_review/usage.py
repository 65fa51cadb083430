"""Command-line usage errors (a missing argument, an unknown option, a value of the wrong type)
in the user's language.

typer parses the command line with its own copy of click, whose messages are English f-strings
("Missing option '--reviewers'.", "Invalid value for '--fund': Input should be a valid
integer…"), not gettext calls that a catalogue could translate. ``install`` replaces the one
method that prints them, ``UsageError.show``, with one that says the same through the
catalogues: the usage line, the hint to ``-h`` and the error, each from ``usage.*`` keys. What
the exception carries (the option's name, the choices, the bound) is read from its attributes,
and the pydantic sentence typer gives for a bad value is matched against the few forms it takes
(``_VALUE_FORMS``); any other sentence is kept as it is, inside the translated frame. The exit
code stays 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any

from .i18n import t

# pydantic's sentences for a value typer could not convert, and their catalogue keys; compiled
# when a usage error is shown, not at every start (issue 17: eleven expressions, ~2 ms)
_VALUE_FORMS: tuple[tuple[str, int, str], ...] = (
    (r"^Input should be a valid integer\b.*$", re.S, "usage.value_integer"),
    (r"^Input should be a valid number\b.*$", re.S, "usage.value_number"),
    (r"^Input should be a valid boolean\b.*$", re.S, "usage.value_boolean"),
    (r"^Input should be greater than or equal to (?P<bound>\S+?)\.?$", 0, "usage.value_min"),
    (r"^Input should be greater than (?P<bound>\S+?)\.?$", 0, "usage.value_above"),
    (r"^Input should be less than or equal to (?P<bound>\S+?)\.?$", 0, "usage.value_max"),
    (r"^Input should be less than (?P<bound>\S+?)\.?$", 0, "usage.value_below"),
    (r"^(?:Value error, )?(?P<value>.+?) is not one of (?P<choices>.+?)\.?$", re.S, "usage.value_choice"),
)
# click's own sentences that carry their facts only in the text
_OPTION_NEEDS = r"^Option (?P<name>'.+') requires (?:an argument|(?P<n>\d+) arguments)\.$"
_OPTION_NO_VALUE = r"^Option (?P<name>'.+') does not take a value\.$"
_EXTRA = (r"^Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)$", re.S)


def _hint(exc: Any) -> str:
    from typer._click.exceptions import _join_param_hints

    if getattr(exc, "param_hint", None) is not None:
        return str(_join_param_hints(exc.param_hint))
    param = getattr(exc, "param", None)
    return str(_join_param_hints(param.get_error_hint())) if param is not None else ""


def value_text(message: str, lang: str) -> str:
    """pydantic's sentence about a bad value, in ``lang`` when it is one of the known forms."""
    for pattern, flags, key in _VALUE_FORMS:
        m = re.match(pattern, message.strip(), flags)
        if m:
            return t(key, lang, **m.groupdict())
    return message


def message(exc: Any, lang: str) -> str:
    """What went wrong, in ``lang``."""
    from typer._click import exceptions as ce

    if isinstance(exc, ce.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        key = "usage.missing_argument" if kind == "argument" else "usage.missing_option"
        return t(key, lang, name=_hint(exc))
    if isinstance(exc, ce.BadParameter):
        hint = _hint(exc)
        if not hint:
            return t("usage.invalid_value_bare", lang, reason=value_text(exc.message, lang))
        return t("usage.invalid_value", lang, name=hint, reason=value_text(exc.message, lang))
    if isinstance(exc, ce.NoSuchOption):
        text = t("usage.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            text += t("usage.possible_options", lang, options=", ".join(sorted(exc.possibilities)))
        return text
    m = re.match(_OPTION_NEEDS, exc.message)
    if m:
        if m["n"]:
            return t("usage.option_needs_values", lang, name=m["name"], n=m["n"])
        return t("usage.option_needs_value", lang, name=m["name"])
    m = re.match(_OPTION_NO_VALUE, exc.message)
    if m:
        return t("usage.option_takes_no_value", lang, name=m["name"])
    m = re.match(_EXTRA[0], exc.message, _EXTRA[1])
    if m:
        return t("usage.extra_arguments", lang, args=m["args"])
    return str(exc.message)


def install(current_lang: Callable[[], str], write: Callable[[str], None]) -> None:
    """Print every usage error through ``write`` in ``current_lang()``."""
    from typer._click.exceptions import UsageError

    def show(self: Any, file: IO[Any] | None = None) -> None:
        lang = current_lang()
        lines = []
        ctx = self.ctx
        if ctx is not None:
            usage = ctx.get_usage()
            prefix = "Usage:"
            if usage.startswith(prefix):
                usage = t("usage.usage", lang) + usage[len(prefix) :]
            lines.append(usage)
            if ctx.command.get_help_option(ctx) is not None:
                command = f"{ctx.command_path} {ctx.help_option_names[0]}"
                lines.append(t("usage.try_help", lang, command=command))
            lines.append("")
        lines.append(t("cli.error", lang, message=message(self, lang)))
        for line in lines:
            write(line)

    UsageError.show = show  # type: ignore[method-assign]

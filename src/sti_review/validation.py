"""Turn pydantic validation errors into located, readable problems."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import MAX_PROBLEMS, InputError, Problem, Text, more_problems
from .yamlio import Document, gc_paused

M = TypeVar("M", bound=BaseModel)


def _message(err: dict[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "missing":
        return Text("err.missing")
    if kind == "extra_forbidden":
        return Text("err.unknown_field")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Text("err.one_of", expected=expected, value=repr(err.get("input")))
    if kind in ("model_type", "dict_type", "mapping_type", "model_attributes_type"):
        return Text("err.not_mapping", type=_type_name(err.get("input")))
    if kind == "list_type":
        return Text("err.not_list", type=_type_name(err.get("input")))
    if kind == "string_type":
        return Text("err.not_text", type=_type_name(err.get("input")))
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "complex_type"):
        return Text("err.not_number", value=repr(err.get("input")))
    if kind == "finite_number":
        return Text("err.not_finite", value=repr(err.get("input")))
    if kind in ("bool_type", "bool_parsing"):
        return Text("err.not_bool", value=repr(err.get("input")))
    if kind == "value_error":
        error = err.get("ctx", {}).get("error", err["msg"])
        first = getattr(error, "args", ())[:1]
        if first and isinstance(first[0], Text):
            return first[0]
        return Text("err.invalid_value", detail=str(error))
    if kind in _BY_TYPE:
        key, names = _BY_TYPE[kind]
        ctx = err.get("ctx", {})
        values = {n: ctx.get(n, "") for n in names}
        return Text(key, value=repr(err.get("input")), type=_type_name(err.get("input")), **values)
    # Not one our inputs can trigger today: keep pydantic's words, but say so in a keyed
    # message so the language of the run is kept around them.
    msg = err["msg"]
    return Text("err.invalid_value", detail=msg[0].lower() + msg[1:] if msg else kind)


# pydantic error type -> (catalogue key, context values it shows). Every message also gets
# ``value`` (the repr of what was given).
_BY_TYPE: dict[str, tuple[str, tuple[str, ...]]] = {
    "greater_than": ("err.greater_than", ("gt",)),
    "greater_than_equal": ("err.greater_than_equal", ("ge",)),
    "less_than": ("err.less_than", ("lt",)),
    "less_than_equal": ("err.less_than_equal", ("le",)),
    "multiple_of": ("err.multiple_of", ("multiple_of",)),
    "too_short": ("err.too_short", ("min_length", "actual_length")),
    "too_long": ("err.too_long", ("max_length", "actual_length")),
    "string_too_short": ("err.string_too_short", ("min_length",)),
    "string_too_long": ("err.string_too_long", ("max_length",)),
    "string_pattern_mismatch": ("err.string_pattern_mismatch", ("pattern",)),
    "string_unicode": ("err.not_text", ()),
    "enum": ("err.one_of", ("expected",)),
    "int_from_float": ("err.not_integer", ()),
    "int_parsing_size": ("err.not_integer", ()),
    "none_required": ("err.none_required", ()),
    "tuple_type": ("err.not_list", ()),
    "set_type": ("err.not_list", ()),
    "frozen_set_type": ("err.not_list", ()),
    "iterable_type": ("err.not_list", ()),
    "set_item_not_hashable": ("err.not_hashable", ()),
    "invalid_key": ("err.invalid_key", ()),
    "date_type": ("err.not_date", ()),
    "date_parsing": ("err.not_date", ()),
    "date_from_datetime_parsing": ("err.not_date", ()),
    "date_from_datetime_inexact": ("err.not_date", ()),
    "datetime_type": ("err.not_datetime", ()),
    "datetime_parsing": ("err.not_datetime", ()),
    "datetime_from_date_parsing": ("err.not_datetime", ()),
    "time_type": ("err.not_time", ()),
    "time_parsing": ("err.not_time", ()),
    "decimal_type": ("err.not_number", ()),
    "decimal_parsing": ("err.not_number", ()),
    "union_tag_invalid": ("err.union_tag_invalid", ("tag", "expected_tags")),
    "union_tag_not_found": ("err.union_tag_not_found", ("discriminator",)),
    "url_type": ("err.not_url", ()),
    "url_parsing": ("err.not_url", ()),
    "url_scheme": ("err.not_url", ()),
    "recursion_loop": ("err.recursion", ()),
}


def error_message(err: Any) -> str:
    """The readable message of one pydantic error (as in a located problem)."""
    return _message(err, BaseModel)


def _type_name(value: Any) -> str:
    if value is None:
        return Text("err.type_empty")
    key = {dict: "mapping", list: "list", str: "text", bool: "bool", int: "number", float: "number"}
    kind = key.get(type(value))
    return Text("err.type_" + kind) if kind else type(value).__name__


def problems_from(
    exc: ValidationError,
    doc: Document,
    model: type[BaseModel],
    prefix: tuple[Any, ...] = (),
    errors: list[Any] | None = None,
) -> list[Problem]:
    problems = []
    if errors is None:
        errors = exc.errors(include_url=False)
    for err in errors[:MAX_PROBLEMS]:
        loc = prefix + _strip_union_tags(err["loc"])
        at_key = err["type"] == "extra_forbidden"
        problems.append(doc.problem(loc, _message(err, model), at_key=at_key))
    if len(errors) > MAX_PROBLEMS:
        problems.append(more_problems(doc.path, len(errors) - MAX_PROBLEMS))
    return problems


# pydantic names the member of a union (`int | str`) it tried last in the location:
# `version.int` is shown as `version`.
_TYPE_TAGS = frozenset({"int", "str", "float", "bool", "none", "list", "dict"})


def _strip_union_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    parts = tuple(p for p in loc if not _is_union_tag(p))
    while len(parts) > 1 and parts[-1] in _TYPE_TAGS:
        parts = parts[:-1]
    return parts


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the chosen member's name into loc for tagged/union validation.
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def validate(model: type[M], doc: Document, *, context: dict[str, Any] | None = None) -> M:
    """Validate a document against a model; located problems on failure."""
    validate_mapping(doc)
    try:
        with gc_paused():
            return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, model)) from None


def validate_mapping(doc: Document) -> None:
    """A file's top level must be a mapping."""
    if not isinstance(doc.data, dict):
        raise InputError(
            [
                Problem(
                    doc.path,
                    *doc.locate(()),
                    None,
                    Text("err.not_yaml_mapping", type=_type_name(doc.data)),
                )
            ]
        )


def validate_pruning(model: type[M], doc: Document, prune: str) -> tuple[M | None, list[Problem]]:
    """Validate, and when only entries of the mapping ``prune`` are wrong, validate the rest too.

    Returns the model built without the bad entries (or None) and the problems found, so that
    later cross-checks can report on the good entries in the same run.
    """
    validate_mapping(doc)
    try:
        with gc_paused():
            return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = problems_from(exc, doc, model, errors=errors)
        if any(len(e["loc"]) < 2 or e["loc"][0] != prune for e in errors):
            return None, problems
        bad = {e["loc"][1] for e in errors}
        data = dict(doc.data)
        data[prune] = {k: v for k, v in data[prune].items() if k not in bad}
        try:
            with gc_paused():
                return model.model_validate(data), problems
        except ValidationError:
            return None, problems

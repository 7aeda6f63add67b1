"""Read a household YAML file into a validated ``HouseholdFile``.

Every mistake becomes one ``HouseholdFileError`` line naming the file, where in it (a YAML line,
or a field path such as ``duties[2] ('laundry').recurrence`` or ``members.sam.calendars[0]``),
the value and what to do. The YAML loader is YAML 1.1 with two traps removed: ``15:30`` stays
the text "15:30" instead of the sexagesimal number 930, and a repeated key (two members called
``sam``) is an error instead of the last one silently winning.
"""

from __future__ import annotations

import re
import types
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from scheduler.errors import HouseholdFileError
from scheduler.households.schemas import HouseholdFile, reference_problems

_INT = "tag:yaml.org,2002:int"


class _HouseholdLoader(yaml.SafeLoader):
    """SafeLoader without sexagesimal integers and with duplicate keys refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in first_line:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first at line {first_line[key] + 1}); each key, "
                    "including a member id, may appear only once: rename or merge them",
                    key_node.start_mark,
                )
            first_line[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _timestamp_or_text(loader: _HouseholdLoader, node: yaml.ScalarNode) -> object:
    """A date or time stamp, or its text when it is no real date (``2026-02-30``): validation
    then names the field and the value instead of YAML failing without either."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_HouseholdLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_HouseholdLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _INT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HouseholdLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


def load_household(path: Path) -> HouseholdFile:
    """Read and validate the household file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HouseholdFileError(
            f"{path}: household file not found; check the path, or copy examples/household.yaml"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise HouseholdFileError(
            f"{path}: cannot read the household file ({error}); check that it is a readable "
            "UTF-8 text file"
        ) from None
    return parse_household(text, source=str(path))


def parse_household(text: str, *, source: str) -> HouseholdFile:
    """Validate household YAML ``text``; ``source`` names it in messages (the file's path)."""
    try:
        data = yaml.load(text, Loader=_HouseholdLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = " ".join(p for p in (error.context, error.problem) if p)
        raise HouseholdFileError(
            f"{source}{where}: YAML syntax error: {what}; check the indentation, colons and "
            'quotes there (quote times like "07:30" if in doubt)'
        ) from None
    except yaml.YAMLError as error:
        raise HouseholdFileError(f"{source}: not valid YAML ({error}); fix the file") from None
    if data is None:
        raise HouseholdFileError(
            f"{source}: the file is empty; start from a copy of examples/household.yaml"
        )
    if not isinstance(data, dict):
        raise HouseholdFileError(
            f"{source}: expected a mapping with 'household', 'timezone', 'members' and 'duties' "
            f"at the top, got {type(data).__name__}; see examples/household.yaml"
        )
    try:
        household = HouseholdFile.model_validate(data)
    except ValidationError as error:
        more = error.error_count() - 1
        after = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
        # A misspelt key is first: it is also why the key it was meant to be is "missing".
        errors = sorted(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
        problem = _describe(errors[0], data)
        raise HouseholdFileError(f"{source}: {problem}{after}") from None
    problems = reference_problems(household)
    if problems:
        first = problems[0]
        raise HouseholdFileError(f"{source}: {first.path}: {first.message}")
    return household


def field_path(loc: tuple[int | str, ...], data: object = None) -> str:
    """``('duties', 2, 'recurrence')`` -> ``duties[2].recurrence``; with the file's ``data``, an
    item with an id is named by it as well, ``duties[2] ('laundry').recurrence``: nobody counts
    list items from zero."""
    path = ""
    node = data
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        node = _child(node, part)
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            path += f" ({node['id']!r})"
    return path


def _child(node: object, part: int | str) -> object:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _describe(error: ErrorDetails, data: object) -> str:
    loc = tuple(error["loc"])
    path = field_path(loc, data) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return (
            f"{path}: unknown key {loc[-1]!r}; {hint}remove it or use one of: {', '.join(allowed)}"
        )
    if kind == "missing":
        return f"{path}: required but missing; add it (see the README, 'Planning a household')"
    if kind == "too_short" and loc == ("members",):
        return (
            "members: empty, so nobody can take a duty; add the partners, e.g. "
            "'alex: {name: Alex}' (see the README, 'Planning a household')"
        )
    if kind == "too_short" and loc == ("duties",):
        return (
            "duties: empty, so there is nothing to plan; add one, e.g. '{id: dinner, days: [MO], "
            "start: \"18:00\", duration: 60}' (see the README, 'Planning a household')"
        )
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    shown = "" if isinstance(value, dict | list) or repr(value) in message else f" (got {value!r})"
    hint = "" if kind == "value_error" else "; see the README, 'Planning a household'"
    return f"{path}: {message}{shown}{hint}"


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model at ``loc`` accepts, following the schema's annotations."""
    node: Any = HouseholdFile
    for part in loc:
        node = _step(node, part)
        if node is None:
            return []
    node = _unwrap_model(node)
    if node is None:
        return []
    return [info.alias or name for name, info in node.model_fields.items()]


def _step(annotation: Any, part: int | str) -> Any:
    model = _unwrap_model(annotation)
    if model is not None and isinstance(part, str):
        info = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        return None if info is None else info.annotation
    for arg in _options(annotation):
        origin = get_origin(arg)
        if origin is list and isinstance(part, int):
            return get_args(arg)[0]
        if origin is dict and isinstance(part, str):
            return get_args(arg)[1]
    return None


def _options(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for arg in _options(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None

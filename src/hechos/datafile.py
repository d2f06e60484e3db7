"""Load YAML dictionary files keeping the line of every entry, for file:line errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import DictionaryError

try:  # the C parser is ~10x faster; construction stays in Python so lines survive
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

LINE_KEY = "__line__"


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


def _construct_str_date(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # Keep dates as the strings the author wrote: "2024-05-12", not datetime.date.
    return loader.construct_scalar(node)


# YAML 1.1 reads no/yes/on/off as booleans: "no" is the Spanish negation and "NO" a
# country code here, so only true/false are booleans in our dictionaries.
_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str_date)


def display_path(path: Path) -> str:
    """A short path for messages: relative to the package when inside it."""
    parts = path.parts
    if "hechos" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("hechos"):])
    return str(path)


def load_entries(path: Path) -> list[dict[str, Any]]:
    """A YAML file holding a list of mappings; each mapping gets its line number."""
    shown = display_path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise DictionaryError(shown, line, f"invalid YAML: {exc.problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(shown, 0, f"cannot read: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise DictionaryError(shown, 1, "expected a list of entries")
    for item in data:
        if not isinstance(item, dict):
            raise DictionaryError(shown, 0, f"expected a mapping, got {item!r}")
    return data


def require(entry: dict, key: str, kind: type | tuple[type, ...], file: str) -> Any:
    value = entry.get(key)
    if value is None:
        raise DictionaryError(file, entry.get(LINE_KEY, 0), f"missing field '{key}'")
    if not isinstance(value, kind):
        raise DictionaryError(file, entry.get(LINE_KEY, 0), f"field '{key}' has the wrong type: {value!r}")
    return value


def string_list(entry: dict, key: str, file: str, required: bool = False) -> list[str]:
    value = entry.get(key)
    if value is None:
        if required:
            raise DictionaryError(file, entry.get(LINE_KEY, 0), f"missing field '{key}'")
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise DictionaryError(file, entry.get(LINE_KEY, 0), f"field '{key}' must be a list of strings")
    return [str(v) for v in value]

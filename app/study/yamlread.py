"""Read a YAML document into plain Python values (dict, list, str, int, float, bool, None), fast.

libyaml (PyYAML's C parser) does the parsing; this module turns its event stream into values
without PyYAML's Python constructor and regex resolver, which is where most of the load time of
the study definition went (ARCHITECTURE.md 2, target < 200 ms for the whole definition). Like
yaml.safe_load it can only ever build plain data. Scalars resolve as in yaml.safe_load (YAML 1.1:
plain yes/no/on/off are booleans, so code lists must quote them; decimal integers and floats are
numbers) except that the rarer YAML 1.1 forms (timestamps, octal, hex, sexagesimal, .inf) stay
text; tests compare the two on every shipped file. Stricter than safe_load: a key repeated in one mapping, merge keys ("<<") and
explicit tags are errors, because in a hand-edited definition they are mistakes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import events as ev

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?\Z")
_CONSTANTS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~", ""), None),
}
_NO_KEY = object()


class YamlReadError(ValueError):
    """The text is not valid YAML, or uses a feature the study definition does not allow."""

    def __init__(self, problem: str, line: int | None) -> None:
        self.problem = problem
        self.line = line  # 1-based, None when unknown
        super().__init__(problem if line is None else f"line {line}: {problem}")


def _scalar(value: str, plain: bool) -> Any:
    if not plain:
        return value
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    first = value[0]
    if first.isdigit() or first in "-+.":
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
    return value


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


def load_yaml(text: str) -> Any:
    """The first document of `text` as plain values; raises YamlReadError naming the line."""
    anchors: dict[str, Any] = {}
    stack: list[list[Any]] = []  # [container, pending key] per open mapping or sequence
    root: Any = None
    try:
        stream: Any = yaml.parse(text, Loader=_Parser)  # events are typed loosely by the stubs
        for event in stream:
            kind = type(event)
            if kind is ev.ScalarEvent:
                if event.tag is not None and event.tag != "!":
                    raise YamlReadError(f"explicit tag {event.tag} is not allowed", _line(event))
                value = _scalar(event.value, event.implicit[0])
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                if event.tag is not None:
                    raise YamlReadError(f"explicit tag {event.tag} is not allowed", _line(event))
                value = {} if kind is ev.MappingStartEvent else []
                if event.anchor is not None:
                    anchors[event.anchor] = value
                stack.append([value, _NO_KEY])
                continue
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                value = stack.pop()[0]
            elif kind is ev.AliasEvent:
                if event.anchor not in anchors:
                    raise YamlReadError(f"unknown anchor *{event.anchor}", _line(event))
                value = anchors[event.anchor]
            elif kind is ev.DocumentEndEvent:
                break  # only the first document, as yaml.safe_load requires a single one
            else:
                continue
            if kind is ev.ScalarEvent and event.anchor is not None:
                anchors[event.anchor] = value
            if not stack:
                root = value
                continue
            top = stack[-1]
            container = top[0]
            if type(container) is list:
                container.append(value)
            elif top[1] is _NO_KEY:
                if value == "<<" and kind is ev.ScalarEvent and event.implicit[0]:
                    raise YamlReadError("merge keys (<<) are not allowed", _line(event))
                if isinstance(value, dict | list):
                    raise YamlReadError("a mapping key must be a plain value", _line(event))
                if value in container:
                    raise YamlReadError(f"key {value!r} appears twice", _line(event))
                top[1] = value
            else:
                container[top[1]] = value
                top[1] = _NO_KEY
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else int(mark.line) + 1
        raise YamlReadError(str(getattr(exc, "problem", None) or exc), line) from None
    return root

"""Rule parameters: every threshold of every rule, read from resources/study/rules/*.yaml.

Each file is one domain module's parameters:

    module: engraftment
    params:
      anc_min_e9_per_l: {value: 0.5, unit: "10*9/L", source: "ASTCT 2021 ...", confirm: false}

A domain module declares a frozen dataclass whose first field is ``version: str`` and whose other
fields carry the parameter names; ``RuleBook.params(cls, module)`` builds it, so thresholds live in
the versioned data and never in code. Values marked ``confirm: true`` are DOMAIN.md [U] values that
the site's configuration review lists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.study.yamlread import YamlReadError, load_yaml

T = TypeVar("T")


class RuleDefinitionError(ValueError):
    """A rule parameter file is malformed; the message names file, module and parameter."""


@dataclass(frozen=True)
class RuleParam:
    module: str
    name: str
    value: Any
    unit: str | None
    source: str
    confirm: bool
    file: str


@dataclass(frozen=True)
class RuleBook:
    """All rule parameters of one study definition version."""

    version: str
    entries: Mapping[str, Mapping[str, RuleParam]]

    def module(self, module: str) -> Mapping[str, RuleParam]:
        try:
            return self.entries[module]
        except KeyError as exc:
            raise RuleDefinitionError(f"no rule parameters for module '{module}'") from exc

    def value(self, module: str, name: str) -> Any:
        return self.module(module)[name].value

    def params(self, cls: type[T], module: str) -> T:
        """Build the domain's parameter dataclass `cls` from the parameters of `module`."""
        entries = self.module(module)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name == "version":
                kwargs["version"] = self.version
                continue
            if f.name not in entries:
                raise RuleDefinitionError(
                    f"{module}: parameter '{f.name}' needed by {cls.__name__} is missing "
                    f"from resources/study/rules/{module}.yaml"
                )
            kwargs[f.name] = _freeze(entries[f.name].value)
        return cls(**kwargs)

    def to_confirm(self) -> Iterator[RuleParam]:
        """The [U] values a configuration review must show as "to confirm"."""
        for params in self.entries.values():
            yield from (p for p in params.values() if p.confirm)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def load_rulebook(directory: Path, version: str) -> RuleBook:
    """Read every rules/*.yaml file; errors name the file, module and parameter."""
    entries: dict[str, dict[str, RuleParam]] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            doc = load_yaml(path.read_text(encoding="utf-8"))
        except YamlReadError as exc:
            raise RuleDefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(doc, dict) or "module" not in doc or "params" not in doc:
            raise RuleDefinitionError(f"{path.name}: needs 'module' and 'params'")
        module = str(doc["module"])
        if module in entries:
            raise RuleDefinitionError(f"{path.name}: module '{module}' defined twice")
        params: dict[str, RuleParam] = {}
        for name, spec in (doc["params"] or {}).items():
            where = f"{path.name}: {module}.{name}"
            if not isinstance(spec, dict) or "value" not in spec:
                raise RuleDefinitionError(f"{where}: needs a 'value'")
            if not spec.get("source"):
                raise RuleDefinitionError(f"{where}: needs a 'source'")
            params[str(name)] = RuleParam(
                module=module,
                name=str(name),
                value=spec["value"],
                unit=spec.get("unit"),
                source=str(spec["source"]),
                confirm=bool(spec.get("confirm", False)),
                file=path.name,
            )
        entries[module] = params
    return RuleBook(version=version, entries=entries)

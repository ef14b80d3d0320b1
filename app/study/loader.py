"""Load resources/study/*.yaml into a validated StudyDefinition; every error names file, form, item.

Files (ARCHITECTURE.md 2): study.yaml (study and MetaDataVersion), codelists.yaml, forms/*.yaml
(forms with their item groups and items), events.yaml (events and the forms they hold),
rule_inputs.yaml (which item, in which unit, feeds each rule input) and rules/*.yaml (thresholds,
read by app.study.rules). The checks and the key schemas are in app.study.checks.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from app.paths import resource
from app.study.checks import (
    STAGES,
    Where,
    boolean,
    check_loinc,
    check_range_pair,
    check_unit,
    integer,
    keys,
    label,
    mapping,
    oid,
    seq,
    text,
)
from app.study.errors import StudyDefinitionError
from app.study.model import (
    CodeList,
    CodeListItem,
    DataType,
    Event,
    EventKind,
    Form,
    Item,
    ItemGroup,
    Label,
    RepeatKey,
    RuleInput,
    StudyDefinition,
)
from app.study.rules import RuleDefinitionError, load_rulebook
from app.study.yamlread import YamlReadError, load_yaml

__all__ = ["StudyDefinitionError", "default_study", "load_study"]

# The vocabularies of app.study.model, so a new data type or repeat key is one edit there.
DATA_TYPES: frozenset[str] = frozenset(get_args(DataType))
EVENT_KINDS: frozenset[str] = frozenset(get_args(EventKind))
REPEATS: frozenset[str] = frozenset(get_args(RepeatKey))
NUMERIC = frozenset(("integer", "float"))

STUDY_KEYS = frozenset(("oid", "protocol_name", "mdv_oid", "title"))
CODELIST_KEYS = frozenset(("oid", "name", "type", "items"))
CODE_KEYS = frozenset(("code", "label"))
FORM_KEYS = frozenset(("oid", "name", "label", "version", "signature", "groups"))
GROUP_KEYS = frozenset(("oid", "name", "label", "repeating", "rows", "items"))
ITEM_KEYS = frozenset(
    (
        "oid",
        "name",
        "type",
        "label",
        "unit",
        "alt_units",
        "loinc",
        "hard",
        "soft",
        "required",
        "phi",
        "codelist",
        "help",
        "length",
        "decimals",
        "derived",
    )
)
EVENT_KEYS = frozenset(("oid", "name", "label", "kind", "repeat", "forms", "stage", "month", "day"))
RULE_INPUT_KEYS = frozenset(("item", "unit"))


def _read(path: Path, root: Path) -> tuple[Any, Where]:
    where = Where(file=path.relative_to(root).as_posix())
    try:
        text_ = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise where.error("file is missing") from None
    try:
        return load_yaml(text_), where
    except YamlReadError as exc:
        line = "" if exc.line is None else f" at line {exc.line}"
        raise where.error(f"not valid YAML{line}: {exc.problem}") from None


def _top(doc: Any, where: Where, key: str) -> Any:
    """The file's one top-level key; keys starting with "_" only hold YAML anchors to reuse."""
    root = mapping(doc, where)
    anchors = frozenset(str(k) for k in root if str(k).startswith("_"))
    keys(root, where, allowed=anchors | {key}, required=(key,))
    return root[key]


def _study_header(doc: Any, where: Where) -> tuple[str, str, str, Label]:
    study = mapping(_top(doc, where, "study"), where)
    keys(study, where, allowed=STUDY_KEYS, required=tuple(STUDY_KEYS))
    return (
        text(study["oid"], where, "oid"),
        text(study["protocol_name"], where, "protocol_name"),
        text(study["mdv_oid"], where, "mdv_oid"),
        label(study["title"], where, "title"),
    )


def _codelists(doc: Any, where: Where) -> dict[str, CodeList]:
    out: dict[str, CodeList] = {}
    for raw in seq(_top(doc, where, "codelists"), where, "codelists"):
        spec = mapping(raw, where)
        cl_oid = oid(spec.get("oid"), where, "CL.", "codelist")
        here = where.at(codelist=cl_oid)
        keys(spec, here, allowed=CODELIST_KEYS, required=("oid", "name", "type", "items"))
        if cl_oid in out:
            raise here.error("duplicate codelist OID")
        data_type = text(spec["type"], here, "type")
        if data_type not in ("text", "integer"):
            raise here.error(f"type '{data_type}' must be text or integer")
        codes: list[CodeListItem] = []
        seen: set[str] = set()
        for raw_code in seq(spec["items"], here, "items"):
            entry = mapping(raw_code, here)
            keys(entry, here, allowed=CODE_KEYS, required=("code", "label"))
            code = entry["code"]
            if isinstance(code, bool) or not isinstance(code, str | int):
                raise here.error(f"code {code!r} must be a string or an integer (quote Y/N)")
            if data_type == "integer" and not isinstance(code, int):
                raise here.error(f"code {code!r} must be an integer in an integer codelist")
            code_s = str(code)
            if code_s in seen:
                raise here.error(f"duplicate code '{code_s}'")
            seen.add(code_s)
            codes.append(CodeListItem(code_s, label(entry["label"], here, f"code {code_s}")))
        if not codes:
            raise here.error("has no codes")
        out[cl_oid] = CodeList(
            cl_oid, text(spec["name"], here, "name"), _data_type(data_type), tuple(codes)
        )
    return out


def _data_type(value: str) -> DataType:
    return value  # type: ignore[return-value]  # checked against DATA_TYPES by the caller


def _item(spec: Any, where: Where, codelists: Mapping[str, CodeList]) -> Item:
    spec = mapping(spec, where)
    it_oid = oid(spec.get("oid"), where, "IT.", "item")
    here = where.at(item=it_oid)
    keys(spec, here, allowed=ITEM_KEYS, required=("oid", "name", "type", "label"))
    data_type = text(spec["type"], here, "type")
    if data_type not in DATA_TYPES:
        raise here.error(
            f"unknown data type '{data_type}' (one of {', '.join(sorted(DATA_TYPES))})"
        )
    codelist = spec.get("codelist")
    if data_type == "choice":
        if codelist is None:
            raise here.error("a choice item needs a codelist")
        codelist = text(codelist, here, "codelist")
        if codelist not in codelists:
            raise here.error(f"unknown codelist '{codelist}'")
    elif codelist is not None:
        raise here.error(f"codelist '{codelist}' on a {data_type} item (use type: choice)")
    unit = spec.get("unit")
    if unit is not None:
        unit = check_unit(unit, here)
    alt_units = tuple(
        check_unit(u, here) for u in seq(spec.get("alt_units", []), here, "alt_units")
    )
    if alt_units and unit is None:
        raise here.error("alt_units without a unit")
    loinc = spec.get("loinc")
    if loinc is not None:
        loinc = check_loinc(loinc, here)
    hard, soft = check_range_pair(spec.get("hard"), spec.get("soft"), here)
    if (hard or soft) and data_type not in NUMERIC:
        raise here.error(f"ranges need a numeric item, not {data_type}")
    length = spec.get("length")
    decimals = spec.get("decimals")
    if length is not None:
        length = integer(length, here, "length", low=1)
    if decimals is not None:
        if data_type != "float":
            raise here.error("decimals need a float item")
        decimals = integer(decimals, here, "decimals", low=0)
        if length is not None and decimals >= length:
            raise here.error(
                f"decimals {decimals} leave no digit before the point (length {length})"
            )
    required = boolean(spec.get("required", False), here, "required")
    derived = boolean(spec.get("derived", False), here, "derived")
    if required and derived:
        raise here.error("a derived item is written by the system and cannot be required")
    help_ = spec.get("help")
    name = text(spec["name"], here, "name")
    if not name.replace("_", "").isalnum() or not name.isupper() or not name[0].isalpha():
        raise here.error(f"name '{name}' is not CDASH-style (upper case, digits, underscores)")
    return Item(
        oid=it_oid,
        name=name,
        data_type=_data_type(data_type),
        label=label(spec["label"], here, "label"),
        unit=unit,
        loinc=loinc,
        hard_range=hard,
        soft_range=soft,
        required=required,
        phi=boolean(spec.get("phi", False), here, "phi"),
        codelist=codelist,
        help=None if help_ is None else label(help_, here, "help"),
        length=length,
        decimals=decimals,
        derived=derived,
        alt_units=alt_units,
    )


def _forms(
    doc: Any,
    where: Where,
    codelists: Mapping[str, CodeList],
    forms: dict[str, Form],
    items: dict[str, tuple[Item, Where]],
    groups: dict[str, Where],
) -> None:
    for raw in seq(_top(doc, where, "forms"), where, "forms"):
        spec = mapping(raw, where)
        f_oid = oid(spec.get("oid"), where, "F.", "form")
        here = where.at(form=f_oid)
        keys(spec, here, allowed=FORM_KEYS, required=("oid", "name", "label", "version", "groups"))
        if f_oid in forms:
            raise here.error("duplicate form OID")
        form_groups: list[ItemGroup] = []
        for raw_group in seq(spec["groups"], here, "groups"):
            g = mapping(raw_group, here)
            g_oid = oid(g.get("oid"), here, "IG.", "item group")
            g_here = here.at(group=g_oid)
            keys(g, g_here, allowed=GROUP_KEYS, required=("oid", "name", "label", "items"))
            if g_oid in groups:
                raise g_here.error(f"duplicate item group OID (first in {groups[g_oid]})")
            groups[g_oid] = g_here
            group_items: list[Item] = []
            for raw_item in seq(g["items"], g_here, "items"):
                item = _item(raw_item, g_here, codelists)
                if item.oid in items:
                    first = items[item.oid][1]
                    raise g_here.at(item=item.oid).error(f"duplicate item OID (first in {first})")
                items[item.oid] = (item, g_here)
                group_items.append(item)
            if not group_items:
                raise g_here.error("has no items")
            repeating = boolean(g.get("repeating", False), g_here, "repeating")
            rows = integer(g.get("rows", 1), g_here, "rows", low=1)
            if rows > 1 and not repeating:
                raise g_here.error("rows > 1 needs repeating: true")
            form_groups.append(
                ItemGroup(
                    g_oid,
                    text(g["name"], g_here, "name"),
                    label(g["label"], g_here, "label"),
                    repeating,
                    tuple(group_items),
                    rows,
                )
            )
        if not form_groups:
            raise here.error("has no item groups")
        signature = spec.get("signature")
        forms[f_oid] = Form(
            oid=f_oid,
            name=text(spec["name"], here, "name"),
            label=label(spec["label"], here, "label"),
            version=text(str(spec["version"]), here, "version"),
            groups=tuple(form_groups),
            signature=None if signature is None else text(signature, here, "signature"),
        )


def _events(doc: Any, where: Where, forms: Mapping[str, Form]) -> tuple[Event, ...]:
    events: list[Event] = []
    seen: set[str] = set()
    for order, raw in enumerate(seq(_top(doc, where, "events"), where, "events"), start=1):
        spec = mapping(raw, where)
        e_oid = oid(spec.get("oid"), where, "SE.", "event")
        here = where.at(event=e_oid)
        keys(
            spec,
            here,
            allowed=EVENT_KEYS,
            required=("oid", "name", "label", "kind", "repeat", "forms", "stage"),
        )
        if e_oid in seen:
            raise here.error("duplicate event OID")
        seen.add(e_oid)
        kind = text(spec["kind"], here, "kind")
        if kind not in EVENT_KINDS:
            raise here.error(f"kind '{kind}' is not one of {', '.join(sorted(EVENT_KINDS))}")
        repeat = text(spec["repeat"], here, "repeat")
        if repeat not in REPEATS:
            raise here.error(f"repeat '{repeat}' is not one of {', '.join(sorted(REPEATS))}")
        stage = text(spec["stage"], here, "stage")
        if stage not in STAGES:
            raise here.error(f"unknown treatment stage '{stage}'")
        form_oids = tuple(text(f, here, "forms") for f in seq(spec["forms"], here, "forms"))
        if not form_oids:
            raise here.error("holds no forms")
        for f in form_oids:
            if f not in forms:
                raise here.at(form=f).error("event refers to an unknown form")
        if len(set(form_oids)) != len(form_oids):
            raise here.error("lists a form twice")
        month = spec.get("month")
        day = spec.get("day")
        events.append(
            Event(
                oid=e_oid,
                name=text(spec["name"], here, "name"),
                label=label(spec["label"], here, "label"),
                kind=kind,  # type: ignore[arg-type]  # checked against EVENT_KINDS
                repeat=repeat,  # type: ignore[arg-type]  # checked against REPEATS
                forms=form_oids,
                stage=stage,
                order=order,
                month=None if month is None else integer(month, here, "month", low=1),
                day=None if day is None else integer(day, here, "day"),
            )
        )
    return tuple(events)


def _rule_inputs(
    doc: Any, where: Where, items: Mapping[str, tuple[Item, Where]]
) -> dict[str, RuleInput]:
    out: dict[str, RuleInput] = {}
    for name, raw in mapping(_top(doc, where, "inputs"), where).items():
        here = where.at(rule_input=str(name))
        if "." not in str(name):
            raise here.error("name must be '<rule module>.<input>'")
        spec = mapping(raw, here)
        keys(spec, here, allowed=RULE_INPUT_KEYS, required=("item",))
        if "unit" not in spec:
            raise here.error("missing unit (write 'unit: null' for a coded, date or text input)")
        it_oid = text(spec["item"], here, "item")
        if it_oid not in items:
            raise here.at(item=it_oid).error("rule input points at a missing item")
        item, item_where = items[it_oid]
        unit = spec["unit"]
        if unit is not None:
            unit = check_unit(unit, here)
        allowed = {item.unit, *item.alt_units}
        if unit not in allowed:
            shown = ", ".join(sorted(str(u) for u in allowed))
            raise here.at(item=it_oid).error(
                f"rule expects unit '{unit}' but the item ({item_where}) is in {shown}"
            )
        out[str(name)] = RuleInput(str(name), it_oid, unit)
    return out


def load_study(directory: Path | None = None) -> StudyDefinition:
    """Read and validate the whole study definition under `directory` (default resources/study)."""
    root = directory if directory is not None else resource("study")
    study_doc, study_where = _read(root / "study.yaml", root)
    study_oid, protocol, mdv_oid, title = _study_header(study_doc, study_where)
    codelists = _codelists(*_read(root / "codelists.yaml", root))
    forms: dict[str, Form] = {}
    items: dict[str, tuple[Item, Where]] = {}
    groups: dict[str, Where] = {}
    form_files = sorted((root / "forms").glob("*.yaml"))
    if not form_files:
        raise Where(file="forms/").error("no form files (forms/*.yaml)")
    for path in form_files:
        doc, where = _read(path, root)
        _forms(doc, where, codelists, forms, items, groups)
    events = _events(*_read(root / "events.yaml", root), forms)
    # Forms in visit order (first event that holds them), so casebooks and menus follow the study.
    order = {f: n for n, f in enumerate(dict.fromkeys(f for e in events for f in e.forms))}
    forms = dict(sorted(forms.items(), key=lambda kv: order.get(kv[0], len(order))))
    inputs = _rule_inputs(*_read(root / "rule_inputs.yaml", root), items)
    try:
        rulebook = load_rulebook(root / "rules", mdv_oid)
    except RuleDefinitionError as exc:
        raise StudyDefinitionError(str(exc), file="rules/") from exc
    return StudyDefinition(
        study_oid=study_oid,
        protocol_name=protocol,
        mdv_oid=mdv_oid,
        title=title,
        events=events,
        forms=forms,
        codelists=codelists,
        rules=rulebook,
        _items={k: v[0] for k, v in items.items()},
        rule_inputs=inputs,
    )


@functools.cache
def default_study() -> StudyDefinition:
    """The shipped study definition, loaded and validated once per process."""
    return load_study()

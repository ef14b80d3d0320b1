"""The study definition as typed, immutable objects: events, forms, item groups, items, code lists.

One definition drives data-entry forms, edit checks, printed CRFs and the ODM export. The loader
(app/study/loader.py) builds these from resources/study/*.yaml and validates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.study.rules import RuleBook, RuleParam

DataType = Literal["text", "integer", "float", "date", "datetime", "time", "boolean", "choice"]
EventKind = Literal["scheduled", "unscheduled", "common"]
RepeatKey = Literal["none", "study_day", "month", "sequence"]


@dataclass(frozen=True)
class Label:
    """A user-visible text in English and Simplified Chinese."""

    en: str
    zh: str

    def get(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class Range:
    low: float | None = None
    high: float | None = None

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class CodeListItem:
    code: str
    label: Label


@dataclass(frozen=True)
class CodeList:
    oid: str
    name: str
    data_type: DataType
    items: tuple[CodeListItem, ...]

    def label_of(self, code: str) -> Label | None:
        return next((i.label for i in self.items if i.code == code), None)


@dataclass(frozen=True)
class Item:
    oid: str  # e.g. "IT.LB.ANC"
    name: str  # CDASH-style variable name, e.g. "LBORRES_ANC"
    data_type: DataType
    label: Label
    unit: str | None = None  # UCUM code
    loinc: str | None = None
    hard_range: Range | None = None
    soft_range: Range | None = None
    required: bool = False
    phi: bool = False
    codelist: str | None = None  # CodeList OID when data_type == "choice"
    help: Label | None = None
    length: int | None = None  # text length / total digits (CRF boxes)
    decimals: int | None = None  # digits after the point (CRF boxes)
    derived: bool = False  # written by the system from a rule, never typed
    alt_units: tuple[str, ...] = ()  # other UCUM units a lab may report; converted on read


@dataclass(frozen=True)
class ItemGroup:
    oid: str
    name: str
    label: Label
    repeating: bool
    items: tuple[Item, ...]
    rows: int = 1  # rows a blank CRF prints for a repeating group


@dataclass(frozen=True)
class Form:
    oid: str
    name: str
    label: Label
    version: str
    groups: tuple[ItemGroup, ...]
    signature: str | None = None  # signature meaning required, e.g. "investigator_approval"

    def items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.groups for i in g.items)


@dataclass(frozen=True)
class Event:
    oid: str
    name: str
    label: Label
    kind: EventKind
    repeat: RepeatKey
    forms: tuple[str, ...]  # Form OIDs in order
    stage: str  # the treatment stage the event belongs to (app.domain.stages)
    order: int = 0  # visit order for casebooks
    month: int | None = None  # follow-up month for scheduled follow-up visits
    day: int | None = None  # study day of a scheduled assessment, e.g. 28 for the Day +28 visit


@dataclass(frozen=True)
class RuleInput:
    """Where a domain rule finds one of its inputs: an item, in the unit the rule expects."""

    name: str  # "<rule module>.<input>", e.g. "engraftment.anc"
    item: str  # Item OID
    unit: str | None  # UCUM unit the rule expects; the item's unit or one of its alt_units


@dataclass(frozen=True)
class StudyDefinition:
    study_oid: str  # "NCT03835312"
    protocol_name: str  # "SeqTranUCBC&IC-001"
    mdv_oid: str  # ODM MetaDataVersion OID, the definition version stored with data
    title: Label
    events: tuple[Event, ...]
    forms: Mapping[str, Form]
    codelists: Mapping[str, CodeList]
    rules: RuleBook
    _items: Mapping[str, Item] = field(default_factory=dict, repr=False)
    rule_inputs: Mapping[str, RuleInput] = field(default_factory=dict)

    def form(self, oid: str) -> Form:
        return self.forms[oid]

    def event(self, oid: str) -> Event:
        return next(e for e in self.events if e.oid == oid)

    def item(self, oid: str) -> Item:
        return self._items[oid]

    def has_item(self, oid: str) -> bool:
        return oid in self._items

    def items(self) -> Mapping[str, Item]:
        """Every item of the definition by OID."""
        return self._items

    def rule_input(self, name: str) -> RuleInput:
        return self.rule_inputs[name]

    def to_confirm(self) -> list[RuleParam]:
        """The [U] rule values a configuration review must list as "to confirm"."""
        return list(self.rules.to_confirm())

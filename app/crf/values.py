"""Plain value structures a filled CRF or casebook is rendered from (no database types here).

app/services/crf_data.py fills them from the database; tests and the bench build them by hand.
Keys follow the ODM shape: an item value is addressed by (item group OID, group repeat key, item OID).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

ItemKey = tuple[str, str, str]  # (item group OID, group repeat key, item OID)


@dataclass(frozen=True)
class ItemValue:
    value: str | None
    unit: str | None = None
    null_flavor: str | None = None  # e.g. "NASK": the item was not done / not asked
    derived_by: str | None = None  # "rule@version" of a derived (system-computed) result
    corrected: bool = False  # changed after it was first saved (history in the audit appendix)


@dataclass(frozen=True)
class AuditEntry:
    """One change to an item of this form, for the audit-history appendix."""

    ts_utc: datetime
    utc_offset_minutes: int
    user: str  # printed name of the staff member, or "system"
    action: str
    item: str  # "IG.X[2]/IT.Y": the part of the audit path below the form
    old_value: str | None
    new_value: str | None
    reason: str | None


@dataclass(frozen=True)
class QueryInfo:
    query_oid: str
    key: ItemKey
    text: str
    raised_at: datetime
    status: str = "open"


@dataclass(frozen=True)
class SignatureInfo:
    printed_name: str
    meaning: str
    signed_at: datetime
    valid: bool = True
    invalidated_at: datetime | None = None
    utc_offset_minutes: int = 0  # for showing local time next to UTC


@dataclass(frozen=True)
class FormValues:
    """The stored state of one form of one visit."""

    form_oid: str
    items: Mapping[ItemKey, ItemValue] = field(default_factory=dict)
    status: str = "incomplete"
    audit: tuple[AuditEntry, ...] = ()
    queries: tuple[QueryInfo, ...] = ()
    signatures: tuple[SignatureInfo, ...] = ()

    def group_repeats(self, group_oid: str) -> list[str]:
        """Repeat keys of a group in numeric-then-text order."""
        keys = {k[1] for k in self.items if k[0] == group_oid}
        return sorted(keys, key=_repeat_sort_key)

    @property
    def has_corrections(self) -> bool:
        return any(v.corrected for v in self.items.values())


@dataclass(frozen=True)
class VisitValues:
    """One occurrence of an event (visit) of a subject with its forms in definition order."""

    event_oid: str
    repeat_key: str = ""  # study day, month or sequence of a repeating event
    event_date: date | None = None
    forms: tuple[FormValues, ...] = ()

    def form(self, form_oid: str) -> FormValues | None:
        return next((f for f in self.forms if f.form_oid == form_oid), None)


@dataclass(frozen=True)
class SubjectRecord:
    """Everything a casebook prints for one subject: never the name (subject key only)."""

    subject_key: str
    site_code: str
    visits: tuple[VisitValues, ...] = ()


def _repeat_sort_key(key: str) -> tuple[int, int, str]:
    try:
        return (0, int(key), "")
    except ValueError:
        return (1, 0, key)

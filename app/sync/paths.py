"""Audit paths of item values, `FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.DOSE_GIVEN`.

The audit trail names each changed value by this path (TEAM.md, shared names); the sync writer
turns it into ODM nesting and the data center turns ODM nesting back into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEGMENT = re.compile(r"^([^\[\]/]+)(?:\[([^\[\]/]*)\])?$")
DEFAULT_GROUP_REPEAT = "1"


@dataclass(frozen=True, slots=True)
class ItemPath:
    subject: str
    event_oid: str
    event_repeat: str  # "" for a non-repeating event
    form_oid: str
    group_oid: str
    group_repeat: str
    item_oid: str

    def __str__(self) -> str:
        event = f"{self.event_oid}[{self.event_repeat}]" if self.event_repeat else self.event_oid
        return (
            f"{self.subject}/{event}/{self.form_oid}/"
            f"{self.group_oid}[{self.group_repeat}]/{self.item_oid}"
        )

    @property
    def form_key(self) -> tuple[str, str, str, str]:
        return (self.subject, self.event_oid, self.event_repeat, self.form_oid)


def parse_item_path(path: str) -> ItemPath | None:
    """The ItemPath of an item-value audit path, or None for any other audit path."""
    parts = path.split("/")
    if len(parts) != 5:
        return None
    matches = [_SEGMENT.match(p) for p in parts]
    if any(m is None for m in matches):
        return None
    (subj, _), (ev, ev_rep), (form, form_rep), (grp, grp_rep), (item, item_rep) = (
        (m.group(1), m.group(2)) for m in matches if m is not None
    )
    if form_rep is not None or item_rep is not None or _ is not None:
        return None
    return ItemPath(subj, ev, ev_rep or "", form, grp, grp_rep or DEFAULT_GROUP_REPEAT, item)


_NULL_FLAVOR = re.compile(r"^\[([A-Za-z0-9_]{1,8})\]$")


def render_value(value: str | None, unit: str | None, null_flavor: str | None) -> str | None:
    """The item as the audit trail shows it (same convention as db.audit): `12.5 10*9/L`, `[NASK]`."""
    if value is None:
        return f"[{null_flavor}]" if null_flavor else None
    return f"{value} {unit}" if unit else value


def decode_rendered(text: str | None, measured: bool) -> tuple[str | None, str | None, str | None]:
    """(value, unit, null flavour) back from an audit text.

    `measured`: the item is numeric or has a unit in the study definition; its value never holds a
    space, so the first space separates value and unit. Other items keep the text whole.
    """
    if text is None:
        return None, None, None
    match = _NULL_FLAVOR.match(text)
    if match:
        return None, None, match.group(1)
    if measured and " " in text:
        value, unit = text.split(" ", 1)
        return value, unit, None
    return text, None, None

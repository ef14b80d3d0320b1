"""Shared plumbing of the ward-workflow services: typed errors, a subject's stored items loaded in
one query, system writes of derived items, rule parameters and value parsing.

Every stage service (stage_*.py), the worklist and derived.py read stored data through
`SubjectData` (one SELECT per subject, no N+1) and write clinical data through forms.save_form;
only derived.py writes items itself, as the system user with `derived_by = rule@version`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.errors import ServiceError
from app.services.workspace import Workspace
from app.study.model import StudyDefinition
from db.models import FormData, ItemData, StudyEvent, Subject

T = TypeVar("T")


# ---------------------------------------------------------------------------- errors


class TransitionRefused(ServiceError):
    """`values["reasons"]`: the "stages.needs.<fact>" codes of app.domain.stages."""

    code = "ward.transition_refused"
    message = "the subject cannot move from {source} to {target} yet"


class VerificationRefused(ServiceError):
    """Bedside verification refused; `values["reason"]` is the code (audited before raising)."""

    code = "ward.verification_refused"
    message = "bedside verification refused: {reason}"


class NotReady(ServiceError):
    """A calculation lacks an input (`values["missing"]`), e.g. no Day 0 date yet."""

    code = "ward.not_ready"
    message = "not available yet: {missing}"


class SignatureRequired(ServiceError):
    """The action changes a signed form: the signer's password is needed to sign it again."""

    code = "ward.signature_required"
    message = "this changes the signed form {form_oid}; it must be signed again"


class QueryNotFound(ServiceError):
    code = "queries.not_found"
    message = "no query {query_oid}"


class QueryStateError(ServiceError):
    code = "queries.wrong_state"
    message = "the query is {status}; this action needs {needed}"


class NotQueryRaiser(ServiceError):
    code = "queries.not_raiser"
    message = "only the user who raised the query (or a data manager) can close it"


# ---------------------------------------------------------------------------- shared values


@dataclass(frozen=True)
class Target:
    """Where a screen opens: an event occurrence and optionally one form of it."""

    event_oid: str
    repeat_key: str
    form_oid: str | None = None


@dataclass(frozen=True)
class Provenance:
    """Where a deciding value came from (shown beside a checklist criterion)."""

    event_oid: str
    repeat_key: str
    form_oid: str
    item_oid: str
    when: date | None


@dataclass(frozen=True)
class StoredItem:
    event_oid: str
    repeat_key: str
    event_date: date | None
    form_oid: str
    group_oid: str
    group_repeat_key: str
    item_oid: str
    value: str | None
    unit: str | None
    derived_by: str | None


class SubjectData:
    """Every stored item of one subject, indexed for the lookups the stage services make."""

    def __init__(self, subject_key: str, stage: str, items: Iterable[StoredItem]) -> None:
        self.subject_key = subject_key
        self.stage = stage
        self.items = list(items)
        self._by_item: dict[str, list[StoredItem]] = {}
        self._forms: set[tuple[str, str, str]] = set()
        for it in self.items:
            self._by_item.setdefault(it.item_oid, []).append(it)
            self._forms.add((it.event_oid, it.repeat_key, it.form_oid))

    def all(self, item_oid: str, event_oid: str | None = None) -> list[StoredItem]:
        """Stored values of an item (optionally in one event), in storage order."""
        rows = self._by_item.get(item_oid, [])
        if event_oid is None:
            return [r for r in rows if r.value is not None]
        return [r for r in rows if r.event_oid == event_oid and r.value is not None]

    def value(
        self,
        item_oid: str,
        event_oid: str | None = None,
        repeat_key: str | None = None,
        group_repeat_key: str = "1",
    ) -> str | None:
        for r in self._by_item.get(item_oid, []):
            if (
                (event_oid is None or r.event_oid == event_oid)
                and (repeat_key is None or r.repeat_key == repeat_key)
                and r.group_repeat_key == group_repeat_key
                and r.value is not None
            ):
                return r.value
        return None

    def row(
        self, event_oid: str, repeat_key: str, form_oid: str, group_repeat_key: str
    ) -> dict[str, str]:
        """Item OID -> value of one row of a (repeating) group."""
        return {
            r.item_oid: r.value
            for r in self.items
            if r.event_oid == event_oid
            and r.repeat_key == repeat_key
            and r.form_oid == form_oid
            and r.group_repeat_key == group_repeat_key
            and r.value is not None
        }

    def form_values(
        self, event_oid: str, repeat_key: str, form_oid: str
    ) -> dict[tuple[str, str, str], str]:
        return {
            (r.group_oid, r.group_repeat_key, r.item_oid): r.value
            for r in self.items
            if r.event_oid == event_oid
            and r.repeat_key == repeat_key
            and r.form_oid == form_oid
            and r.value is not None
        }

    def has_form(self, event_oid: str, repeat_key: str, form_oid: str) -> bool:
        return (event_oid, repeat_key, form_oid) in self._forms

    def repeats(self, event_oid: str, form_oid: str | None = None) -> list[str]:
        """Repeat keys of an event (with the form stored), numerically sorted where possible."""
        found = {r for (e, r, f) in self._forms if e == event_oid and form_oid in (None, f)}
        return sorted(found, key=repeat_sort)

    def group_rows(
        self, event_oid: str, repeat_key: str, form_oid: str, group_oid: str
    ) -> list[str]:
        found = {
            r.group_repeat_key
            for r in self.items
            if r.event_oid == event_oid
            and r.repeat_key == repeat_key
            and r.form_oid == form_oid
            and r.group_oid == group_oid
        }
        return sorted(found, key=repeat_sort)


def repeat_sort(key: str) -> tuple[int, int | str]:
    try:
        return (0, int(key))
    except ValueError:
        return (1, key)


_ITEM_COLUMNS = (
    StudyEvent.event_oid,
    StudyEvent.repeat_key,
    StudyEvent.event_date,
    FormData.form_oid,
    ItemData.item_group_oid,
    ItemData.group_repeat_key,
    ItemData.item_oid,
    ItemData.value,
    ItemData.unit,
    ItemData.derived_by,
)


def load_subject_data(session: Session, subject: Subject) -> SubjectData:
    """All items of the subject in one query (joined through form and event)."""
    rows = session.execute(
        select(*_ITEM_COLUMNS)
        .join(FormData, ItemData.form_data_id == FormData.id)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .where(StudyEvent.subject_id == subject.id)
        .order_by(ItemData.id)
    ).all()
    return SubjectData(
        subject.subject_key,
        subject.stage,
        (
            StoredItem(
                r.event_oid,
                r.repeat_key,
                r.event_date,
                r.form_oid,
                r.item_group_oid,
                r.group_repeat_key,
                r.item_oid,
                r.value,
                r.unit,
                r.derived_by,
            )
            for r in rows
        ),
    )


# ---------------------------------------------------------------------------- parameters


def rule_params(ws: Workspace, cls: type[T], module: str) -> T:
    """The domain parameter dataclass of `module`, cached per study definition."""
    study = ws.require_study()
    cache: dict[tuple[str, str], Any] = _PARAM_CACHE.setdefault(id(study.rules), {})
    key = (cls.__qualname__, module)
    if key not in cache:
        cache[key] = study.rules.params(cls, module)
    value: T = cache[key]
    return value


_PARAM_CACHE: dict[int, dict[tuple[str, str], Any]] = {}


def study_of(ws: Workspace) -> StudyDefinition:
    return ws.require_study()


# ---------------------------------------------------------------------------- parsing


def as_float(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def as_int(text: str | None) -> int | None:
    number = as_float(text)
    return None if number is None else int(number)


def as_date(text: str | None) -> date | None:
    """A date from an ISO date or datetime text ("T" or a space before the time, as typed)."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None


def as_bool(text: str | None) -> bool | None:
    """CL.NY codes ("Y"/"N") and boolean items ("1"/"0")."""
    if text in ("Y", "1"):
        return True
    if text in ("N", "0"):
        return False
    return None


def fmt_float(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}"


def chunks(values: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def mapping_get(values: Mapping[str, str], key: str) -> str | None:
    return values.get(key)


def valid_signatures(session: Session, subject: Subject) -> set[tuple[str, str, str, str]]:
    """(event OID, repeat key, form OID, meaning) of the subject's signatures still valid."""
    from db.models import Signature

    rows = session.execute(
        select(StudyEvent.event_oid, StudyEvent.repeat_key, FormData.form_oid, Signature.meaning)
        .join(FormData, Signature.form_data_id == FormData.id)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .where(StudyEvent.subject_id == subject.id, Signature.valid.is_(True))
    ).all()
    return {(str(a), str(b), str(c), str(d)) for a, b, c, d in rows}


def audited(session: Session, path_prefix: str, action: str) -> bool:
    """Whether the trail holds `action` on a path under `path_prefix` (index on path)."""
    from db.models import AuditRecord

    # A range on the indexed path (LIKE cannot use the index): every path starting with prefix.
    found = session.scalar(
        select(AuditRecord.id)
        .where(
            AuditRecord.path >= path_prefix,
            AuditRecord.path < path_prefix + "\U0010ffff",
            AuditRecord.action == action,
        )
        .limit(1)
    )
    return found is not None

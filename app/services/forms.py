"""Load and save one form of one subject's event: the only way clinical data is written.

All items of a form are saved in one transaction; values are checked against the study
definition (type, code list, hard range refused with the allowed range, soft range needs a
confirmation comment); the first save needs no reason, any later change does (ReasonRequired);
db/audit writes one audit row per changed item; a change invalidates the form's valid signatures.
After a save that changed an item, the subject's derived items are recomputed (derived.recompute,
system user, "recomputed by rule@version"), so no save leaves a stale BMI, dose or grade behind.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services._records import (
    audit_rows_since,
    content_hash,
    find_form,
    form_definition,
    item_key,
    last_audit_id,
    subject_by_key,
)
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import FormValidationFailed, PermissionDenied, ReasonRequired
from app.services.permissions import Permission, can
from app.services.workspace import Workspace
from app.study.model import Form, Item, StudyDefinition
from db.audit import ReasonRequiredError, record_event
from db.models import FormData, ItemData, Signature, StudyEvent, Subject, User

if TYPE_CHECKING:
    from app.services.derived import DerivedChange

# (item group OID, group repeat key, item OID), e.g. ("IG.CONDADM", "2", "IT.CM.DOSE_GIVEN").
ItemKey = tuple[str, str, str]

# Problem codes of ItemProblem.
NOT_A_NUMBER = "forms.not_a_number"
NOT_AN_INTEGER = "forms.not_an_integer"
BAD_DATE = "forms.bad_date"
BAD_DATETIME = "forms.bad_datetime"
BAD_TIME = "forms.bad_time"
BAD_BOOLEAN = "forms.bad_boolean"
NOT_IN_CODELIST = "forms.not_in_codelist"
TOO_LONG = "forms.too_long"
HARD_RANGE = "forms.hard_range"  # values: low, high
SOFT_RANGE = "forms.soft_range"  # values: low, high; confirm with a comment
UNKNOWN_ITEM = "forms.unknown_item"
DERIVED_ITEM = "forms.derived_item"  # written by the system, never typed
NOT_REPEATING = "forms.not_repeating"  # group repeat key other than "1" for a plain group
REQUIRED = "forms.required"  # a required item is empty when the form is marked complete
BAD_NULL_FLAVOR = "forms.bad_null_flavor"  # values: allowed

# ISO 21090 / ODM null flavours a form may record instead of a value.
NULL_FLAVORS = ("NI", "NA", "UNK", "ASKU", "NAV", "NASK", "NP", "OTH")

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
_BOOLEANS = {"1": "1", "0": "0", "true": "1", "false": "0", "yes": "1", "no": "0"}


@dataclass(frozen=True)
class ItemProblem:
    key: ItemKey
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SignatureRow:
    printed_name: str
    meaning: str
    signed_at: datetime
    valid: bool
    invalidated_at: datetime | None
    username: str


@dataclass(frozen=True)
class FormSnapshot:
    subject_key: str
    event_oid: str
    repeat_key: str
    form_oid: str
    mdv_oid: str | None  # definition version the data was entered under (None: never saved)
    status: str  # "not_started" | "incomplete" | "complete"
    values: Mapping[ItemKey, str | None]
    signatures: tuple[SignatureRow, ...]
    updated_at: datetime | None
    sdv: bool = False
    masked: frozenset[ItemKey] = frozenset()  # PHI items hidden from this role (value None)


@dataclass(frozen=True)
class SaveResult:
    changed_items: int
    audit_rows: int
    invalidated_signatures: int = 0
    derived: tuple[DerivedChange, ...] = ()  # derived items the save changed (recomputed)


def _find_item(form: Form, key: ItemKey) -> tuple[Item | None, bool]:
    """The item definition of `key` and whether its group repeats."""
    group_oid, _, item_oid = key
    for group in form.groups:
        if group.oid == group_oid:
            return next((i for i in group.items if i.oid == item_oid), None), group.repeating
    return None, False


def _empty(value: str | None) -> bool:
    return value is None or value.strip() == ""


def _typed(study: StudyDefinition, item: Item, text: str) -> tuple[str, float | None, str | None]:
    """(normalised text, numeric value for range checks, problem code or None)."""
    kind = item.data_type
    if kind == "integer":
        if not _INTEGER.match(text):
            return text, None, NOT_AN_INTEGER
        return str(int(text)), float(int(text)), None
    if kind == "float":
        if not _NUMBER.match(text) or not math.isfinite(float(text)):
            return text, None, NOT_A_NUMBER
        return text.lstrip("+"), float(text), None
    if kind == "date":
        try:
            if not _DATE.match(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            return text, None, BAD_DATE
        return text, None, None
    if kind == "datetime":
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return text, None, BAD_DATETIME
        return text, None, None
    if kind == "time":
        return (text, None, None) if _TIME.match(text) else (text, None, BAD_TIME)
    if kind == "boolean":
        flag = _BOOLEANS.get(text.lower())
        return (flag, None, None) if flag is not None else (text, None, BAD_BOOLEAN)
    if kind == "choice":
        codelist = study.codelists.get(item.codelist or "")
        if codelist is None or codelist.label_of(text) is None:
            return text, None, NOT_IN_CODELIST
        return text, None, None
    if item.length is not None and len(text) > item.length:
        return text, None, TOO_LONG
    return text, None, None


def _check(
    study: StudyDefinition,
    form: Form,
    values: Mapping[ItemKey, str | None],
    confirmations: Mapping[ItemKey, str],
) -> tuple[dict[ItemKey, str | None], list[ItemProblem]]:
    normalised: dict[ItemKey, str | None] = {}
    problems: list[ItemProblem] = []
    for key, raw in values.items():
        item, repeating = _find_item(form, key)
        if item is None:
            problems.append(ItemProblem(key, UNKNOWN_ITEM))
            continue
        if item.derived:
            problems.append(ItemProblem(key, DERIVED_ITEM))
            continue
        if not repeating and key[1] != "1":
            problems.append(ItemProblem(key, NOT_REPEATING))
            continue
        if raw is None or _empty(raw):
            normalised[key] = None
            continue
        text, number, problem = _typed(study, item, raw.strip())
        if problem is None and number is not None:
            hard, soft = item.hard_range, item.soft_range
            if hard is not None and not hard.contains(number):
                problem = HARD_RANGE
                problems.append(ItemProblem(key, problem, {"low": hard.low, "high": hard.high}))
                continue
            if (
                soft is not None
                and not soft.contains(number)
                and not confirmations.get(key, "").strip()
            ):
                problems.append(ItemProblem(key, SOFT_RANGE, {"low": soft.low, "high": soft.high}))
                continue
        if problem is not None:
            problems.append(ItemProblem(key, problem))
            continue
        normalised[key] = text
    return normalised, problems


def validate_values(
    ws: Workspace,
    form_oid: str,
    values: Mapping[ItemKey, str | None],
    confirmations: Mapping[ItemKey, str] | None = None,
) -> list[ItemProblem]:
    """Check values against the study definition without saving (for live feedback in forms).

    Values are strings as typed: numbers with "." decimals, dates ISO YYYY-MM-DD, times HH:MM,
    booleans "1"/"0", choices their code. None or "" means empty.
    """
    study = ws.require_study()
    return _check(study, study.form(form_oid), values, confirmations or {})[1]


def valid_entries(
    ws: Workspace, form_oid: str, values: Mapping[ItemKey, str | None]
) -> dict[ItemKey, str | None]:
    """The entries of `values` that would be stored as typed, normalised as save_form stores them
    (None clears); values with a problem (format, hard range, unconfirmed soft range) are left
    out. For previews of what a save would give, never for saving."""
    study = ws.require_study()
    return _check(study, study.form(form_oid), values, {})[0]


def _signature_rows(
    items: list[ItemData], form: FormData, subject_key: str
) -> tuple[SignatureRow, ...]:
    current = content_hash(
        subject_key, form.event.event_oid, form.event.repeat_key, form.form_oid, items
    )
    return tuple(signature_row(s, current) for s in signatures_of(form))


def signatures_of(form: FormData) -> list[Signature]:
    session = _session_of(form)
    return list(
        session.scalars(
            select(Signature).where(Signature.form_data_id == form.id).order_by(Signature.id)
        )
    )


def _session_of(obj: object) -> Any:
    from sqlalchemy.orm import object_session

    session = object_session(obj)
    assert session is not None
    return session


def signature_row(signature: Signature, current_hash: str) -> SignatureRow:
    # A signature whose content no longer matches is shown invalid even if a writer that bypassed
    # save_form forgot to invalidate it.
    valid = signature.valid and signature.content_hash == current_hash
    user = _session_of(signature).get(User, signature.user_id)
    return SignatureRow(
        printed_name=signature.printed_name,
        meaning=signature.meaning,
        signed_at=signature.signed_at,
        valid=valid,
        invalidated_at=signature.invalidated_at,
        username=user.username if user is not None else "",
    )


def _phi_keys(form: Form) -> set[tuple[str, str]]:
    return {(g.oid, i.oid) for g in form.groups for i in g.items if i.phi}


def load_form(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
) -> FormSnapshot:
    """The stored values of one form (empty when never saved). Needs VIEW_SUBJECTS.

    PHI items are returned as None (and listed in `masked`) for roles without VIEW_PHI.
    Raises SubjectNotFound, UnknownForm, StudyNotAvailable.
    """
    study = ws.require_study()
    _, form_def = form_definition(study, event_oid, form_oid)
    with ws.db.session() as session:
        actor = acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        form = find_form(session, subject, event_oid, repeat_key, form_oid)
        if form is None:
            return FormSnapshot(
                subject_key, event_oid, repeat_key, form_oid, None, "not_started", {}, (), None
            )
        items = list(form.items)
        phi = _phi_keys(form_def) if not can(actor.role, Permission.VIEW_PHI) else set()
        values: dict[ItemKey, str | None] = {}
        masked: set[ItemKey] = set()
        for item in items:
            key = item_key(item)
            if (key[0], key[2]) in phi:
                masked.add(key)
                values[key] = None
            else:
                values[key] = item.value
        return FormSnapshot(
            subject_key=subject_key,
            event_oid=event_oid,
            repeat_key=repeat_key,
            form_oid=form_oid,
            mdv_oid=form.mdv_oid,
            status=form.status,
            values=values,
            signatures=_signature_rows(items, form, subject_key),
            updated_at=form.updated_at,
            sdv=form.sdv,
            masked=frozenset(masked),
        )


def save_form(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    values: Mapping[ItemKey, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
    complete: bool | None = None,
    null_flavors: Mapping[ItemKey, str] | None = None,
    recompute: bool = True,
) -> SaveResult:
    """Save the given items of one form in one transaction (ENTER_CLINICAL_DATA).

    Items not in `values` (or `null_flavors`) are left as they are. `null_flavors` records why an
    item has no value (ODM/ISO 21090 flavours, e.g. "NASK" not asked, "UNK" unknown). Raises
    FormValidationFailed (values["problems"]: tuple of ItemProblem; soft-range values need an
    entry in `confirmations`; `complete=True` needs every required item answered), ReasonRequired
    (a saved value changes and `reason` is empty), SubjectNotFound, UnknownForm, PermissionDenied.
    `complete` sets the form status ("complete" / "incomplete"); None keeps it.
    When an item changed and `recompute` is true, the subject's derived items are recomputed after
    the transaction (SaveResult.derived); a caller saving several forms in a row may pass False
    and call derived.recompute once at the end.
    """
    study = ws.require_study()
    _, form_def = form_definition(study, event_oid, form_oid)
    confirmations = confirmations or {}
    null_flavors = null_flavors or {}
    normalised, problems = _check(study, form_def, values, confirmations)
    wanted: dict[ItemKey, tuple[str | None, str | None]] = {
        k: (v, None) for k, v in normalised.items()
    }
    for key, flavor in null_flavors.items():
        item, _ = _find_item(form_def, key)
        if item is None or flavor not in NULL_FLAVORS or normalised.get(key) is not None:
            problems.append(ItemProblem(key, BAD_NULL_FLAVOR, {"allowed": ", ".join(NULL_FLAVORS)}))
        else:
            wanted[key] = (None, flavor)
    if problems:
        raise FormValidationFailed(count=len(problems), problems=tuple(problems))
    reason = (reason or "").strip() or None
    now = ws.clock.now()
    try:
        with unit_of_work(ws, user.user_id, reason) as session:
            actor = acting_user(session, user.user_id, Permission.ENTER_CLINICAL_DATA)
            phi = _phi_keys(form_def)
            if not can(actor.role, Permission.VIEW_PHI) and any(
                (k[0], k[2]) in phi for k in wanted
            ):
                raise PermissionDenied(permission=Permission.VIEW_PHI.value, role=actor.role)
            subject = subject_by_key(session, subject_key)
            audit_before = last_audit_id(session)
            form = _form_row(session, subject, event_oid, repeat_key, form_oid, study.mdv_oid, now)
            changed = _apply(session, form, form_def, wanted, reason, confirmations, subject_key)
            invalidated = 0
            if changed:
                form.updated_at = now
                form.mdv_oid = study.mdv_oid
                form.sdv = False  # source verification was of the old values
                for signature in signatures_of(form):
                    if signature.valid:
                        signature.valid = False
                        signature.invalidated_at = now
                        invalidated += 1  # db/audit writes "signature_invalidated"
            if complete:
                missing = _missing_required(form_def, form)
                if missing:
                    raise FormValidationFailed(count=len(missing), problems=tuple(missing))
            if complete is not None:
                form.status = "complete" if complete else "incomplete"
            session.flush()
            audit_count = audit_rows_since(session, audit_before)
    except ReasonRequiredError:
        raise ReasonRequired() from None
    derived: tuple[DerivedChange, ...] = ()
    # A definition without rule parameters (a bare or test definition) has no rules to derive by.
    if changed and recompute and study.rules.entries:
        # Lazy: derived runs the stage services' readers, which save through this module.
        from app.services import derived as derived_items

        derived = tuple(derived_items.recompute(ws, subject_key))
    return SaveResult(
        changed_items=changed,
        audit_rows=audit_count,
        invalidated_signatures=invalidated,
        derived=derived,
    )


def _form_row(
    session: Session,
    subject: Subject,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    mdv_oid: str,
    now: datetime,
) -> FormData:
    """The form's row, created (with its event) on first save."""
    event = session.scalars(
        select(StudyEvent).where(
            StudyEvent.subject_id == subject.id,
            StudyEvent.event_oid == event_oid,
            StudyEvent.repeat_key == repeat_key,
        )
    ).one_or_none()
    if event is None:
        event = StudyEvent(subject=subject, event_oid=event_oid, repeat_key=repeat_key)
        session.add(event)
    form = next((f for f in event.forms if f.form_oid == form_oid), None)
    if form is None:
        form = FormData(
            event=event, form_oid=form_oid, mdv_oid=mdv_oid, status="incomplete", updated_at=now
        )
        session.add(form)
    return form


def _apply(
    session: Session,
    form: FormData,
    form_def: Form,
    wanted: Mapping[ItemKey, tuple[str | None, str | None]],
    reason: str | None,
    confirmations: Mapping[ItemKey, str],
    subject_key: str,
) -> int:
    """Write the wanted (value, null flavour) of each item; the number of items changed."""
    existing = {item_key(i): i for i in form.items}
    changed = 0
    for key, (value, flavor) in wanted.items():
        row = existing.get(key)
        if row is None:
            if value is None and flavor is None:
                continue
            item_def, _ = _find_item(form_def, key)
            row = ItemData(
                form=form,
                item_group_oid=key[0],
                group_repeat_key=key[1],
                item_oid=key[2],
                value=value,
                null_flavor=flavor,
                unit=item_def.unit if item_def is not None and value is not None else None,
            )
            session.add(row)
        elif (row.value, row.null_flavor) != (value, flavor):
            # Any change to data already saved needs a reason (ARCHITECTURE.md section 4).
            if reason is None:
                raise ReasonRequired()
            row.value, row.null_flavor = value, flavor
        else:
            continue
        changed += 1
        comment = confirmations.get(key, "").strip()
        if comment and value is not None:
            event = form.event
            record_event(
                session,
                "soft_range_confirmed",
                audit_path(subject_key, event.event_oid, event.repeat_key, form.form_oid, key),
                new=value,
                reason=comment,
            )
    return changed


def _missing_required(form_def: Form, form: FormData) -> list[ItemProblem]:
    """Required items with neither a value nor a null flavour (rows of repeating groups each)."""
    answered = {item_key(i) for i in form.items if i.value is not None or i.null_flavor is not None}
    problems: list[ItemProblem] = []
    for group in form_def.groups:
        rows = {k[1] for k in answered if k[0] == group.oid} if group.repeating else {"1"}
        for row in sorted(rows):
            for item in group.items:
                key = (group.oid, row, item.oid)
                if item.required and not item.derived and key not in answered:
                    problems.append(ItemProblem(key, REQUIRED))
    return problems


def audit_path(
    subject_key: str, event_oid: str, repeat_key: str, form_oid: str, key: ItemKey | None = None
) -> str:
    """The audit path, e.g. FD-001/SE.COND[-3]/F.CONDADM/IG.CONDADM[2]/IT.CM.DOSE_GIVEN."""
    event = f"{event_oid}[{repeat_key}]" if repeat_key else event_oid
    path = f"{subject_key}/{event}/{form_oid}"
    if key is not None:
        path += f"/{key[0]}[{key[1]}]/{key[2]}"
    return path

"""Subjects: the list (PHI only for roles with VIEW_PHI), registration with the next subject ID
of the site (FD-001, FD-002, ...), and the overview of a subject's events and forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services._records import content_hash, subject_by_key
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import InvalidInput, PermissionDenied, ReasonRequired, SubjectNotFound
from app.services.permissions import Permission, can
from app.services.settings import load_settings
from app.services.workspace import Workspace
from app.study.model import Label, StudyDefinition
from db.models import FormData, Signature, StudyEvent, Subject, SubjectIdentity

SUBJECT_NUMBER_DIGITS = 3


@dataclass(frozen=True)
class SubjectRow:
    subject_key: str  # "FD-001"
    stage: str  # app.domain.stages value
    created_at: datetime
    name: str | None = None  # PHI: only for roles with VIEW_PHI
    hospital_number: str | None = None  # PHI: idem


@dataclass(frozen=True)
class NewSubject:
    """Identity (PHI) of a subject being registered."""

    full_name: str
    hospital_number: str
    birth_date: date
    sex: str  # "M" | "F"
    guardian: str | None = None


@dataclass(frozen=True)
class FormRow:
    form_oid: str
    label: Label
    status: str  # "not_started" | "incomplete" | "complete" (FormData.status)
    signed: bool  # at least one valid signature
    signature_invalidated: bool  # a signature was invalidated by a later change
    sdv: bool
    updated_at: datetime | None


@dataclass(frozen=True)
class EventRow:
    event_oid: str
    repeat_key: str | None  # None: a repeating event with no occurrence yet
    label: Label
    stage: str
    kind: str  # "scheduled" | "unscheduled" | "common"
    repeating: bool
    event_date: date | None
    forms: tuple[FormRow, ...]


@dataclass(frozen=True)
class SubjectOverview:
    subject_key: str
    stage: str
    name: str | None  # PHI: only with VIEW_PHI
    events: tuple[EventRow, ...]


def _row(subject: Subject, phi: bool) -> SubjectRow:
    identity = subject.identity if phi else None
    return SubjectRow(
        subject_key=subject.subject_key,
        stage=subject.stage,
        created_at=subject.created_at,
        name=identity.full_name if identity is not None else None,
        hospital_number=identity.hospital_number if identity is not None else None,
    )


def list_subjects(ws: Workspace, user: UserSession, search: str = "") -> list[SubjectRow]:
    """Subjects by subject ID; `search` matches the ID (and, with VIEW_PHI, the name or hospital
    number), case-insensitively. Needs VIEW_SUBJECTS."""
    needle = search.strip().lower()
    with ws.db.session() as session:
        actor = acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        phi = can(actor.role, Permission.VIEW_PHI)
        query = select(Subject).order_by(Subject.subject_key)
        if phi:
            query = query.options(selectinload(Subject.identity))
        rows = [_row(s, phi) for s in session.scalars(query)]
    if not needle:
        return rows
    return [
        r
        for r in rows
        if needle in r.subject_key.lower()
        or (r.name is not None and needle in r.name.lower())
        or (r.hospital_number is not None and needle in r.hospital_number.lower())
    ]


def _next_key(session: Session) -> str:
    site = load_settings(session).site_code or "XX"
    pattern = re.compile(rf"^{re.escape(site)}-(\d+)$")
    keys = session.scalars(select(Subject.subject_key).where(Subject.site_code == site))
    numbers = [int(m.group(1)) for k in keys if (m := pattern.match(k))]
    return f"{site}-{max(numbers, default=0) + 1:0{SUBJECT_NUMBER_DIGITS}d}"


def next_subject_key(ws: Workspace) -> str:
    """The next subject ID of the site: "<site code>-<NNN>"."""
    with ws.db.session() as session:
        return _next_key(session)


def _validate(identity: NewSubject, today: date) -> None:
    if not identity.full_name.strip() or len(identity.full_name) > 200:
        raise InvalidInput(field="full_name", problem="1 to 200 characters")
    if not identity.hospital_number.strip() or len(identity.hospital_number) > 64:
        raise InvalidInput(field="hospital_number", problem="1 to 64 characters")
    if identity.sex not in ("M", "F"):
        raise InvalidInput(field="sex", problem="M or F")
    if identity.birth_date > today:
        raise InvalidInput(field="birth_date", problem="not in the future")


def create_subject(ws: Workspace, user: UserSession, identity: NewSubject) -> SubjectRow:
    """Register a subject in stage "screening" with the next subject ID (CREATE_SUBJECT), audited.

    The audit row names the subject ID only: PHI stays in SubjectIdentity.
    """
    now = ws.clock.now()
    _validate(identity, now.date())
    with unit_of_work(ws, user.user_id) as session:
        actor = acting_user(session, user.user_id, Permission.CREATE_SUBJECT)
        key = _next_key(session)
        site = load_settings(session).site_code or "XX"
        subject = Subject(subject_key=key, site_code=site, stage="screening", created_at=now)
        subject.identity = SubjectIdentity(
            full_name=identity.full_name.strip(),
            hospital_number=identity.hospital_number.strip(),
            birth_date=identity.birth_date,
            sex=identity.sex,
            guardian=(identity.guardian or "").strip() or None,
        )
        session.add(subject)
        session.flush()  # db/audit writes "subject_created" (the ID only, never PHI)
        return _row(subject, can(actor.role, Permission.VIEW_PHI))


def _form_row(
    form: FormData | None,
    label: Label,
    oid: str,
    subject_key: str,
    signatures_by_form: dict[int, list[Signature]],
) -> FormRow:
    if form is None:
        return FormRow(oid, label, "not_started", False, False, False, None)
    signatures = signatures_by_form.get(form.id, [])
    current = content_hash(
        subject_key, form.event.event_oid, form.event.repeat_key, oid, list(form.items)
    )
    valid = [s for s in signatures if s.valid and s.content_hash == current]
    return FormRow(
        form_oid=oid,
        label=label,
        status=form.status,
        signed=bool(valid),
        signature_invalidated=len(valid) < len(signatures),
        sdv=form.sdv,
        updated_at=form.updated_at,
    )


def subject_overview(ws: Workspace, user: UserSession, subject_key: str) -> SubjectOverview:
    """Events of the study definition with the subject's occurrences and each form's status.

    Non-repeating events are listed even before any data; a repeating event with no occurrence
    yet is listed once with repeat_key None. Raises SubjectNotFound, StudyNotAvailable.
    """
    study = ws.require_study()
    with ws.db.session() as session:
        actor = acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        stored = stored_events(session, subject)
        return overview_from(
            study,
            subject,
            stored,
            signatures_by_form(session, stored),
            can(actor.role, Permission.VIEW_PHI),
        )


def stored_events(session: Session, subject: Subject) -> list[StudyEvent]:
    """The subject's event occurrences with their forms and items (three queries in all)."""
    return list(
        session.scalars(
            select(StudyEvent)
            .where(StudyEvent.subject_id == subject.id)
            .options(selectinload(StudyEvent.forms).selectinload(FormData.items))
        ).all()
    )


def signatures_by_form(session: Session, stored: list[StudyEvent]) -> dict[int, list[Signature]]:
    """Every signature (valid or not) of the stored forms, by form id, oldest first."""
    form_ids = [f.id for occurrence in stored for f in occurrence.forms]
    found: dict[int, list[Signature]] = {}
    for signature in session.scalars(
        select(Signature).where(Signature.form_data_id.in_(form_ids)).order_by(Signature.id)
    ):
        found.setdefault(signature.form_data_id, []).append(signature)
    return found


def overview_from(
    study: StudyDefinition,
    subject: Subject,
    stored: list[StudyEvent],
    signatures: dict[int, list[Signature]],
    phi: bool,
) -> SubjectOverview:
    """The overview from rows already read (stored_events, signatures_by_form); `phi`: the
    user may see the name (VIEW_PHI)."""
    subject_key = subject.subject_key
    by_oid: dict[str, list[StudyEvent]] = {}
    for occurrence in stored:
        by_oid.setdefault(occurrence.event_oid, []).append(occurrence)
    events: list[EventRow] = []
    for event in sorted(study.events, key=lambda e: e.order):
        repeating = event.repeat != "none"
        occurrences = sorted(by_oid.get(event.oid, []), key=lambda o: _repeat_sort(o.repeat_key))
        forms_of = {oid: study.forms[oid] for oid in event.forms if oid in study.forms}
        if not occurrences:
            rows = tuple(
                _form_row(None, f.label, oid, subject_key, signatures)
                for oid, f in forms_of.items()
            )
            events.append(
                EventRow(
                    event.oid,
                    None if repeating else "",
                    event.label,
                    event.stage,
                    event.kind,
                    repeating,
                    None,
                    rows,
                )
            )
            continue
        for occurrence in occurrences:
            stored_forms = {f.form_oid: f for f in occurrence.forms}
            rows = tuple(
                _form_row(stored_forms.get(oid), f.label, oid, subject_key, signatures)
                for oid, f in forms_of.items()
            )
            events.append(
                EventRow(
                    event.oid,
                    occurrence.repeat_key,
                    event.label,
                    event.stage,
                    event.kind,
                    repeating,
                    occurrence.event_date,
                    rows,
                )
            )
    identity = subject.identity if phi else None
    return SubjectOverview(
        subject_key=subject.subject_key,
        stage=subject.stage,
        name=identity.full_name if identity is not None else None,
        events=tuple(events),
    )


def _repeat_sort(key: str) -> tuple[int, int | str]:
    """Study days and sequences sort numerically (-3 before -1 before 0 before 14)."""
    try:
        return (0, int(key))
    except ValueError:
        return (1, key)


@dataclass(frozen=True)
class IdentityRow:
    """A subject's identity (PHI), for roles with VIEW_PHI only."""

    subject_key: str
    full_name: str
    hospital_number: str
    birth_date: date
    sex: str
    guardian: str | None


def subject_identity(ws: Workspace, user: UserSession, subject_key: str) -> IdentityRow:
    """The identity of one subject (VIEW_PHI). Raises SubjectNotFound, PermissionDenied."""
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_PHI)
        subject = subject_by_key(session, subject_key)
        identity = subject.identity
        if identity is None:
            raise SubjectNotFound(subject_key=subject_key)
        return IdentityRow(
            subject_key,
            identity.full_name,
            identity.hospital_number,
            identity.birth_date,
            identity.sex,
            identity.guardian,
        )


def update_identity(
    ws: Workspace, user: UserSession, subject_key: str, identity: NewSubject, reason: str
) -> IdentityRow:
    """Correct a subject's identity (ENTER_CLINICAL_DATA and VIEW_PHI); a reason is required.

    db/audit records which fields changed, never their values (PHI stays out of the trail).
    """
    if not reason.strip():
        raise ReasonRequired()
    _validate(identity, ws.clock.now().date())
    with unit_of_work(ws, user.user_id, reason.strip()) as session:
        actor = acting_user(session, user.user_id, Permission.ENTER_CLINICAL_DATA)
        if not can(actor.role, Permission.VIEW_PHI):
            raise PermissionDenied(permission=Permission.VIEW_PHI.value, role=actor.role)
        subject = subject_by_key(session, subject_key)
        row = subject.identity
        if row is None:
            raise SubjectNotFound(subject_key=subject_key)
        row.full_name = identity.full_name.strip()
        row.hospital_number = identity.hospital_number.strip()
        row.birth_date = identity.birth_date
        row.sex = identity.sex
        row.guardian = (identity.guardian or "").strip() or None
        session.flush()
        return IdentityRow(
            subject_key, row.full_name, row.hospital_number, row.birth_date, row.sex, row.guardian
        )

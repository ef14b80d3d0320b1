"""Internal: find or create a subject's event and form rows; the canonical content of a form."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.errors import SubjectNotFound, UnknownForm
from app.study.model import Event, Form, StudyDefinition
from db.models import AuditRecord, FormData, ItemData, StudyEvent, Subject

ItemKey = tuple[str, str, str]


def subject_by_key(session: Session, subject_key: str) -> Subject:
    subject = session.scalars(
        select(Subject).where(Subject.subject_key == subject_key)
    ).one_or_none()
    if subject is None:
        raise SubjectNotFound(subject_key=subject_key)
    return subject


def form_definition(study: StudyDefinition, event_oid: str, form_oid: str) -> tuple[Event, Form]:
    """The event and form of the study definition; UnknownForm unless the event holds the form."""
    event = next((e for e in study.events if e.oid == event_oid), None)
    if event is None:
        raise UnknownForm(what=event_oid)
    if form_oid not in event.forms or form_oid not in study.forms:
        raise UnknownForm(what=f"{event_oid}/{form_oid}")
    return event, study.forms[form_oid]


def find_form(
    session: Session, subject: Subject, event_oid: str, repeat_key: str, form_oid: str
) -> FormData | None:
    return session.scalars(
        select(FormData)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .where(
            StudyEvent.subject_id == subject.id,
            StudyEvent.event_oid == event_oid,
            StudyEvent.repeat_key == repeat_key,
            FormData.form_oid == form_oid,
        )
    ).one_or_none()


def item_key(item: ItemData) -> ItemKey:
    return (item.item_group_oid, item.group_repeat_key, item.item_oid)


def content_hash(
    subject_key: str, event_oid: str, repeat_key: str, form_oid: str, items: list[ItemData]
) -> str:
    """sha256 of the form's canonical content: what a signature signs."""
    rows = sorted(
        [*item_key(i), i.value, i.unit, i.null_flavor]
        for i in items
        if i.value is not None or i.null_flavor is not None
    )
    canonical = json.dumps(
        {"subject": subject_key, "event": [event_oid, repeat_key], "form": form_oid, "items": rows},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def last_audit_id(session: Session) -> int:
    return int(session.scalar(select(func.max(AuditRecord.id))) or 0)


def audit_rows_since(session: Session, audit_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.id > audit_id)
        )
        or 0
    )

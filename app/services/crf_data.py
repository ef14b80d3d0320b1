"""Load what a filled CRF or casebook prints from the site database into app.crf's plain values.

Stored values and units, derived results (rule@version), corrections and the audit history of each
form, open queries, and signatures (validity re-checked against the form's current content), for one
visit or a whole subject. PHI items are masked for roles without VIEW_PHI. Needs PRINT_CRF.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.crf.documents import Site
from app.crf.values import (
    AuditEntry,
    FormValues,
    ItemKey,
    ItemValue,
    QueryInfo,
    SignatureInfo,
    SubjectRecord,
    VisitValues,
)
from app.services.auth import UserSession
from app.services.errors import PermissionDenied, SessionEnded, SubjectNotFound, UnknownForm
from app.services.permissions import Permission, can
from app.services.workspace import Workspace
from app.study.model import StudyDefinition
from db.models import (
    AuditRecord,
    FormData,
    ItemData,
    Query,
    Setting,
    Signature,
    StudyEvent,
    Subject,
    User,
)

MASKED = "（已隐藏 masked）"
_CORRECTION_ACTIONS = frozenset({"update"})


def _acting_user(session: Session, user_id: int) -> User:
    """Re-read the acting user: gone, inactive or locked ends the session; PRINT_CRF needed."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.locked:
        raise SessionEnded()
    if not can(user.role, Permission.PRINT_CRF):
        raise PermissionDenied(permission=Permission.PRINT_CRF.value, role=user.role)
    return user


def _subject(session: Session, subject_key: str) -> Subject:
    subject = session.scalars(
        select(Subject).where(Subject.subject_key == subject_key)
    ).one_or_none()
    if subject is None:
        raise SubjectNotFound(subject_key=subject_key)
    return subject


def _item_key(item: ItemData) -> ItemKey:
    return (item.item_group_oid, item.group_repeat_key, item.item_oid)


def site_of(ws: Workspace) -> Site:
    """The site code and name from the settings ("" when not configured)."""
    with ws.db.session() as session:
        return _site(session)


def _site(session: Session) -> Site:
    def setting(key: str) -> str:
        row = session.get(Setting, key)
        if row is None:
            return ""
        try:
            value = json.loads(row.value)
        except ValueError:
            return row.value
        return str(value)

    return Site(setting("site_code"), setting("site_name"))


def load_visits(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str | None = None,
) -> tuple[Site, list[VisitValues]]:
    """The occurrences of one event of a subject (one, if `repeat_key` is given), in repeat order.

    Raises SubjectNotFound, UnknownForm (event not in the study definition), PermissionDenied.
    """
    study = ws.require_study()
    if not any(e.oid == event_oid for e in study.events):
        raise UnknownForm(what=event_oid)
    with ws.db.session() as session:
        actor = _acting_user(session, user.user_id)
        subject = _subject(session, subject_key)
        events = [
            e
            for e in _events(session, subject)
            if e.event_oid == event_oid and (repeat_key is None or e.repeat_key == repeat_key)
        ]
        if not events and repeat_key is not None:
            events = []
        visits = _visits(session, study, subject, events, can(actor.role, Permission.VIEW_PHI))
        if not visits:
            visits = [VisitValues(event_oid, repeat_key or "")]
        return _site(session), visits


def load_subject(ws: Workspace, user: UserSession, subject_key: str) -> tuple[Site, SubjectRecord]:
    """Every visit of a subject with its forms, for the casebook. Raises SubjectNotFound."""
    study = ws.require_study()
    with ws.db.session() as session:
        actor = _acting_user(session, user.user_id)
        subject = _subject(session, subject_key)
        events = _events(session, subject)
        visits = _visits(session, study, subject, events, can(actor.role, Permission.VIEW_PHI))
        return _site(session), SubjectRecord(subject.subject_key, subject.site_code, tuple(visits))


def _events(session: Session, subject: Subject) -> list[StudyEvent]:
    return list(
        session.scalars(
            select(StudyEvent)
            .where(StudyEvent.subject_id == subject.id)
            .options(selectinload(StudyEvent.forms).selectinload(FormData.items))
            .order_by(StudyEvent.id)
        )
    )


def _visits(
    session: Session,
    study: StudyDefinition,
    subject: Subject,
    events: Sequence[StudyEvent],
    show_phi: bool,
) -> list[VisitValues]:
    forms = [f for e in events for f in e.forms]
    form_ids = [f.id for f in forms]
    names = {u.id: u.full_name for u in session.scalars(select(User))}
    signatures: dict[int, list[Signature]] = defaultdict(list)
    queries: dict[int, list[Query]] = defaultdict(list)
    if form_ids:
        for sig in session.scalars(
            select(Signature).where(Signature.form_data_id.in_(form_ids)).order_by(Signature.id)
        ):
            signatures[sig.form_data_id].append(sig)
        for query in session.scalars(
            select(Query)
            .where(Query.form_data_id.in_(form_ids), Query.status != "closed")
            .order_by(Query.id)
        ):
            queries[query.form_data_id].append(query)
    audit = _audit_by_form(
        session.scalars(
            select(AuditRecord)
            .where(AuditRecord.path.startswith(f"{subject.subject_key}/", autoescape=True))
            .order_by(AuditRecord.id)
        ),
        names,
    )
    phi = {(g.oid, i.oid) for f in study.forms.values() for g in f.groups for i in g.items if i.phi}
    visits: list[VisitValues] = []
    for event in sorted(events, key=lambda e: _repeat_order(e.repeat_key)):
        known = [f for f in event.forms if f.form_oid in study.forms]
        order = {oid: n for n, oid in enumerate(_event_forms(study, event.event_oid))}
        known.sort(key=lambda f: order.get(f.form_oid, len(order)))
        values = tuple(
            _form_values(
                f,
                audit.get(_form_prefix(subject.subject_key, event, f.form_oid), []),
                signatures[f.id],
                queries[f.id],
                phi if not show_phi else set(),
            )
            for f in known
        )
        visits.append(VisitValues(event.event_oid, event.repeat_key, event.event_date, values))
    return visits


def _event_forms(study: StudyDefinition, event_oid: str) -> tuple[str, ...]:
    return next((e.forms for e in study.events if e.oid == event_oid), ())


def _repeat_order(key: str) -> tuple[int, float, str]:
    try:
        return (0, float(key), "")
    except ValueError:
        return (1, 0.0, key)


def _form_prefix(subject_key: str, event: StudyEvent, form_oid: str) -> str:
    repeat = f"[{event.repeat_key}]" if event.repeat_key else ""
    return f"{subject_key}/{event.event_oid}{repeat}/{form_oid}/"


def _audit_by_form(
    records: Iterable[AuditRecord], names: dict[int, str]
) -> dict[str, list[tuple[AuditRecord, str, str]]]:
    """Item-level audit rows grouped by form path prefix: (row, user's name, "IG[r]/IT")."""
    grouped: dict[str, list[tuple[AuditRecord, str, str]]] = defaultdict(list)
    for record in records:
        parts = record.path.split("/")
        if len(parts) != 5:  # subject/event/form/group/item: item changes only
            continue
        prefix = "/".join(parts[:3]) + "/"
        user = (
            "system" if record.user_id is None else names.get(record.user_id, f"#{record.user_id}")
        )
        grouped[prefix].append((record, user, "/".join(parts[3:])))
    return grouped


def _item_path_key(key: ItemKey) -> str:
    return f"{key[0]}[{key[1] or '1'}]/{key[2]}"


def _form_values(
    form: FormData,
    audit: list[tuple[AuditRecord, str, str]],
    signatures: list[Signature],
    queries: list[Query],
    phi: set[tuple[str, str]],
) -> FormValues:
    corrected = {
        below
        for record, _, below in audit
        if record.action in _CORRECTION_ACTIONS
        and record.old_value is not None
        and not (record.reason or "").startswith("recomputed by")
    }
    items: dict[ItemKey, ItemValue] = {}
    for data in form.items:
        key = _item_key(data)
        masked = (key[0], key[2]) in phi
        items[key] = ItemValue(
            value=MASKED if masked and data.value is not None else data.value,
            unit=data.unit,
            null_flavor=data.null_flavor,
            derived_by=data.derived_by,
            corrected=_item_path_key(key) in corrected,
        )
    entries = tuple(
        AuditEntry(
            ts_utc=record.ts_utc,
            utc_offset_minutes=record.utc_offset_minutes,
            user=user,
            action=record.action,
            item=below,
            old_value=MASKED if _masked_path(below, phi) else record.old_value,
            new_value=MASKED if _masked_path(below, phi) else record.new_value,
            reason=record.reason,
        )
        for record, user, below in audit
    )
    sigs = tuple(
        SignatureInfo(
            printed_name=s.printed_name,
            meaning=s.meaning,
            signed_at=s.signed_at,
            valid=s.valid,  # app.services.forms invalidates a signature when signed data changes
            invalidated_at=s.invalidated_at,
            utc_offset_minutes=_offset_near(audit, s),
        )
        for s in signatures
    )
    open_queries = tuple(
        QueryInfo(
            q.query_oid,
            (q.item_group_oid, q.group_repeat_key, q.item_oid),
            q.text,
            q.raised_at,
            q.status,
        )
        for q in queries
    )
    return FormValues(form.form_oid, items, form.status, entries, open_queries, sigs)


def _masked_path(below: str, phi: set[tuple[str, str]]) -> bool:
    group, _, item = below.partition("/")
    return (group.split("[")[0], item) in phi


def _offset_near(audit: list[tuple[AuditRecord, str, str]], signature: Signature) -> int:
    """The workstation's UTC offset: taken from the form's audit rows (signatures store UTC)."""
    return audit[-1][0].utc_offset_minutes if audit else 0

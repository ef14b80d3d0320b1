"""Data queries on items: raised by a data manager or monitor, answered by the site, closed by the
raiser (or a data manager); the list by state; monitors mark forms source-data verified.

Permissions come from app.services.permissions (RAISE_QUERY, ANSWER_QUERY, CLOSE_QUERY,
SOURCE_VERIFY). db/audit writes "query_raised", "query_status" and "form_sdv" rows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.services._records import find_form, form_definition, subject_by_key
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import InvalidInput, UnknownForm
from app.services.forms import ItemKey, audit_path
from app.services.permissions import Permission, Role
from app.services.stage_common import NotQueryRaiser, QueryNotFound, QueryStateError
from app.services.workspace import Workspace
from db.audit import record_event
from db.models import FormData, Query, StudyEvent, Subject, User

STATUSES = ("open", "answered", "closed")


@dataclass(frozen=True)
class QueryRow:
    query_oid: str
    subject_key: str
    event_oid: str
    repeat_key: str
    form_oid: str
    item: ItemKey  # (group OID, group repeat key, item OID)
    text: str
    status: str  # open | answered | closed
    raised_by: str | None  # username; None = the data center
    raised_at: datetime
    answer: str | None
    answered_by: str | None
    closed_by: str | None


@dataclass(frozen=True)
class QueryFilter:
    subject_key: str | None = None
    status: str | None = None  # one of STATUSES
    form_oid: str | None = None


def raise_query(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    item: ItemKey,
    text: str,
) -> QueryRow:
    """Raise a query on a stored form's item (RAISE_QUERY). Raises UnknownForm for a form never
    saved or an item not in it, InvalidInput for an empty text."""
    if not text.strip():
        raise InvalidInput(field="text", problem="required")
    _, form_def = form_definition(ws.require_study(), event_oid, form_oid)
    if not any(
        g.oid == item[0] and any(i.oid == item[2] for i in g.items) for g in form_def.groups
    ):
        raise UnknownForm(what=f"{form_oid}/{item[0]}/{item[2]}")
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, Permission.RAISE_QUERY)
        subject = subject_by_key(session, subject_key)
        form = find_form(session, subject, event_oid, repeat_key, form_oid)
        if form is None:
            raise UnknownForm(what=f"{event_oid}[{repeat_key}]/{form_oid} (no data)")
        query = Query(
            query_oid=f"Q.{secrets.token_hex(6).upper()}",
            form_data_id=form.id,
            item_group_oid=item[0],
            group_repeat_key=item[1],
            item_oid=item[2],
            text=text.strip(),
            status="open",
            raised_by=user.user_id,
            raised_at=ws.clock.now(),
        )
        session.add(query)
        session.flush()
        return _row(session, query)


def _get(session: object, query_oid: str) -> Query:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    query = session.scalars(select(Query).where(Query.query_oid == query_oid)).one_or_none()
    if query is None:
        raise QueryNotFound(query_oid=query_oid)
    return query


def answer_query(ws: Workspace, user: UserSession, query_oid: str, answer: str) -> QueryRow:
    """The site answers an open query (ANSWER_QUERY); an answered query can be answered again."""
    if not answer.strip():
        raise InvalidInput(field="answer", problem="required")
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, Permission.ANSWER_QUERY)
        query = _get(session, query_oid)
        if query.status == "closed":
            raise QueryStateError(status=query.status, needed="open or answered")
        query.answer = answer.strip()
        query.answered_by = user.user_id
        query.status = "answered"
        session.flush()
        record_event(session, "query_answered", query.query_oid, new=answer.strip())
        return _row(session, query)


def close_query(ws: Workspace, user: UserSession, query_oid: str) -> QueryRow:
    """The raiser (or a data manager) closes an answered query (CLOSE_QUERY)."""
    with unit_of_work(ws, user.user_id) as session:
        actor = acting_user(session, user.user_id, Permission.CLOSE_QUERY)
        query = _get(session, query_oid)
        if query.status != "answered":
            raise QueryStateError(status=query.status, needed="answered")
        if query.raised_by != actor.id and actor.role != Role.DATA_MANAGER.value:
            raise NotQueryRaiser()
        query.status = "closed"
        query.closed_by = actor.id
        session.flush()
        return _row(session, query)


def list_queries(
    ws: Workspace, user: UserSession, query_filter: QueryFilter | None = None
) -> list[QueryRow]:
    """Queries (oldest first) by subject, status and form (VIEW_SUBJECTS)."""
    f = query_filter or QueryFilter()
    if f.status is not None and f.status not in STATUSES:
        raise InvalidInput(field="status", problem="one of " + ", ".join(STATUSES))
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        stmt = (
            select(
                Query,
                Subject.subject_key,
                StudyEvent.event_oid,
                StudyEvent.repeat_key,
                FormData.form_oid,
            )
            .join(FormData, Query.form_data_id == FormData.id)
            .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
            .join(Subject, StudyEvent.subject_id == Subject.id)
            .order_by(Query.id)
        )
        if f.subject_key:
            stmt = stmt.where(Subject.subject_key == f.subject_key)
        if f.status:
            stmt = stmt.where(Query.status == f.status)
        if f.form_oid:
            stmt = stmt.where(FormData.form_oid == f.form_oid)
        names = {u.id: u.username for u in session.scalars(select(User))}
        return [
            _make(q, key, event, repeat, form, names)
            for q, key, event, repeat, form in session.execute(stmt).all()
        ]


def mark_sdv(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    verified: bool = True,
) -> bool:
    """A monitor marks a saved form source-data verified (SOURCE_VERIFY), audited "form_sdv".
    Any later change to the form clears the mark (forms.save_form)."""
    with unit_of_work(ws, user.user_id) as session:
        acting_user(session, user.user_id, Permission.SOURCE_VERIFY)
        subject = subject_by_key(session, subject_key)
        form = find_form(session, subject, event_oid, repeat_key, form_oid)
        if form is None:
            raise UnknownForm(what=f"{event_oid}[{repeat_key}]/{form_oid} (no data)")
        form.sdv = verified
        session.flush()
        return form.sdv


def _row(session: object, query: Query) -> QueryRow:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    form = session.get(FormData, query.form_data_id)
    assert form is not None
    event = form.event
    names = {
        u.id: u.username
        for u in session.scalars(
            select(User).where(
                User.id.in_([i for i in (query.raised_by, query.answered_by, query.closed_by) if i])
            )
        )
    }
    return _make(query, event.subject.subject_key, event.event_oid, event.repeat_key,
                 form.form_oid, names)  # fmt: skip


def _make(
    q: Query, key: str, event: str, repeat: str, form: str, names: dict[int, str]
) -> QueryRow:
    return QueryRow(
        q.query_oid,
        key,
        event,
        repeat,
        form,
        (q.item_group_oid, q.group_repeat_key, q.item_oid),
        q.text,
        q.status,
        names.get(q.raised_by) if q.raised_by else None,
        q.raised_at,
        q.answer,
        names.get(q.answered_by) if q.answered_by else None,
        names.get(q.closed_by) if q.closed_by else None,
    )


def query_path(row: QueryRow) -> str:
    return audit_path(row.subject_key, row.event_oid, row.repeat_key, row.form_oid, row.item)

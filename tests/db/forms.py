"""Saving a form the way the forms service does (one unit of work), for database tests and the
crash writer: subject -> event -> form -> items, created on first save, changed in place later."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from db.audit import AuditContext, set_audit_context
from db.engine import Database
from db.models import FormData, ItemData, StudyEvent, Subject

ItemKey = tuple[str, str, str]  # (item group OID, group repeat key, item OID)


def save_form(
    db: Database,
    ctx: AuditContext,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    values: Mapping[ItemKey, str | None],
) -> int:
    """All items of one form in one transaction; returns the form's id."""
    with db.session() as session:
        set_audit_context(session, ctx)
        subject = session.scalars(
            select(Subject).where(Subject.subject_key == subject_key)
        ).one_or_none()
        if subject is None:
            subject = Subject(subject_key=subject_key, site_code="FD", created_at=ctx.timestamp())
            session.add(subject)
        event = next(
            (e for e in subject.events if e.event_oid == event_oid and e.repeat_key == repeat_key),
            None,
        )
        if event is None:
            event = StudyEvent(event_oid=event_oid, repeat_key=repeat_key)
            subject.events.append(event)
        form = next((f for f in event.forms if f.form_oid == form_oid), None)
        if form is None:
            form = FormData(form_oid=form_oid, mdv_oid="MDV.SEQTX.1", updated_at=ctx.timestamp())
            event.forms.append(form)
        else:
            form.updated_at = ctx.timestamp()
        existing = {(i.item_group_oid, i.group_repeat_key, i.item_oid): i for i in form.items}
        for (group, repeat, item_oid), value in values.items():
            item = existing.get((group, repeat, item_oid))
            if item is None:
                form.items.append(
                    ItemData(
                        item_group_oid=group,
                        group_repeat_key=repeat,
                        item_oid=item_oid,
                        value=value,
                    )
                )
            else:
                item.value = value
        session.flush()
        return form.id


def items(db: Database, form_id: int) -> dict[ItemKey, str | None]:
    with db.session() as session:
        rows = session.scalars(select(ItemData).where(ItemData.form_data_id == form_id))
        return {(i.item_group_oid, i.group_repeat_key, i.item_oid): i.value for i in rows}

"""What the subject page shows first, from one read of the subject's record: the overview (events,
forms and their status) and the stage stepper.

subjects.subject_overview and stage_facts.stage_view each read the record; the subject page used
to call both, one after the other on the worker. Here the items loaded for the overview (needed for
the forms' content hashes) also make the SubjectData of the stage rules, and the signatures read
for the overview give the valid ones the stage rules ask for: one session, one permission check,
one read of the items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.schedule import ward_today
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.permissions import Permission, can
from app.services.stage_common import StoredItem, SubjectData, audited
from app.services.stage_engraftment import day0_from
from app.services.stage_facts import BEDSIDE_ACTION, StageView, facts_from, view_from
from app.services.subjects import (
    SubjectOverview,
    overview_from,
    signatures_by_form,
    stored_events,
)
from app.services.workspace import Workspace
from db.models import Signature, StudyEvent, Subject


@dataclass(frozen=True)
class SubjectPageData:
    overview: SubjectOverview  # equal to subjects.subject_overview
    stage: StageView  # equal to stage_facts.stage_view


def subject_page_data(
    ws: Workspace, user: UserSession, subject_key: str, today: date | None = None
) -> SubjectPageData:
    """The overview and the stepper of one subject (VIEW_SUBJECTS) from one read of the record.

    Raises SubjectNotFound, StudyNotAvailable, PermissionDenied as the two calls it replaces.
    """
    study = ws.require_study()
    today = today or ward_today(ws.clock)
    with ws.db.session() as session:
        actor = acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        stored = stored_events(session, subject)
        signatures = signatures_by_form(session, stored)
        phi = can(actor.role, Permission.VIEW_PHI)
        overview = overview_from(study, subject, stored, signatures, phi)
        data = subject_data_from(subject, stored)
        valid = valid_signatures_from(stored, signatures)
        verified = audited(session, f"{subject.subject_key}/SE.DAY0", BEDSIDE_ACTION)
    facts = facts_from(data, valid, verified, ws, today)
    return SubjectPageData(overview, view_from(ws, data, facts, today, day0_from(data, ws)))


def subject_data_from(subject: Subject, stored: list[StudyEvent]) -> SubjectData:
    """stage_common.load_subject_data from the rows stored_events already loaded (same order:
    by item id)."""
    items = [
        (item.id, occurrence, form.form_oid, item)
        for occurrence in stored
        for form in occurrence.forms
        for item in form.items
    ]
    items.sort(key=lambda row: row[0])
    return SubjectData(
        subject.subject_key,
        subject.stage,
        (
            StoredItem(
                occurrence.event_oid,
                occurrence.repeat_key,
                occurrence.event_date,
                form_oid,
                item.item_group_oid,
                item.group_repeat_key,
                item.item_oid,
                item.value,
                item.unit,
                item.derived_by,
            )
            for _, occurrence, form_oid, item in items
        ),
    )


def valid_signatures_from(
    stored: list[StudyEvent], signatures: dict[int, list[Signature]]
) -> set[tuple[str, str, str, str]]:
    """stage_common.valid_signatures from the signatures signatures_by_form already read."""
    return {
        (str(occurrence.event_oid), str(occurrence.repeat_key), str(form.form_oid), str(s.meaning))
        for occurrence in stored
        for form in occurrence.forms
        for s in signatures.get(form.id, ())
        if s.valid
    }

"""Use case: the derived values of a follow-up visit as they will be once the entries being typed
are saved (BMI, z-scores, HbA1c in both units, β-score, BETA-2, Igls), shown beside the entry
while the nurse types. Nothing is written: the stored record is read, the form's valid entries are
laid over it, and the same rules as a save (app.services.derived) compute the result."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.schedule import ward_today
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.derived import Desired, desired_values
from app.services.forms import ItemKey, valid_entries
from app.services.permissions import Permission
from app.services.stage_common import StoredItem, SubjectData, load_subject_data
from app.services.stage_followup import DerivedValue, derived_for_visit
from app.services.workspace import Workspace


def preview_visit_derived(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    form_oid: str,
    entered: Mapping[ItemKey, str | None],
) -> list[DerivedValue]:
    """visit_derived as if `entered` (values of one form of the visit, as typed) were saved."""
    entries = valid_entries(ws, form_oid, entered)
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        identity = subject.identity
        birth = identity.birth_date if identity is not None else None
        sex = identity.sex if identity is not None else None
        data = load_subject_data(session, subject)
    typed = {(event_oid, "", form_oid, g, r, i): v for (g, r, i), v in entries.items()}
    data = _laid_over(data, typed, ws)
    desired: Desired = desired_values(data, ws, birth, ward_today(ws.clock), sex)
    data = _laid_over(data, {k: v for k, (v, _rule) in desired.items()}, ws)
    return derived_for_visit(data, ws, event_oid)


def _laid_over(
    data: SubjectData,
    values: Mapping[tuple[str, str, str, str, str, str], str | None],
    ws: Workspace,
) -> SubjectData:
    """`data` with `values` (full item path -> value; None removes) in place of the stored ones."""
    study = ws.require_study()
    dates = {(it.event_oid, it.repeat_key): it.event_date for it in data.items}
    kept = [it for it in data.items if _path(it) not in values]
    added = [
        StoredItem(event, repeat, dates.get((event, repeat)), form, group, row, item, value,
                   study.item(item).unit if study.has_item(item) else None, None)
        for (event, repeat, form, group, row, item), value in values.items()
        if value is not None
    ]  # fmt: skip
    return SubjectData(data.subject_key, data.stage, [*kept, *added])


def _path(it: StoredItem) -> tuple[str, str, str, str, str, str]:
    return (it.event_oid, it.repeat_key, it.form_oid, it.group_oid, it.group_repeat_key,
            it.item_oid)  # fmt: skip

"""Saving a form: one transaction, one audit row per changed item, reasons, ranges (issue 2, point 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.clock import FixedClock
from app.services.audit_trail import audit_rows, verify_audit
from app.services.auth import UserSession
from app.services.errors import (
    FormValidationFailed,
    PermissionDenied,
    ReasonRequired,
    StudyNotAvailable,
    SubjectNotFound,
    UnknownForm,
)
from app.services.forms import (
    BAD_DATE,
    BAD_NULL_FLAVOR,
    DERIVED_ITEM,
    HARD_RANGE,
    NOT_A_NUMBER,
    NOT_IN_CODELIST,
    NOT_REPEATING,
    REQUIRED,
    SOFT_RANGE,
    UNKNOWN_ITEM,
    load_form,
    save_form,
    validate_values,
)
from app.services.permissions import Role
from app.services.workspace import Workspace
from db.models import AuditRecord, ItemData

WEIGHT = ("IG.VS", "1", "IT.VS.WEIGHT")
HR = ("IG.VS", "1", "IT.VS.HR")
DATE = ("IG.VS", "1", "IT.VS.DATE")
SEX = ("IG.VS", "1", "IT.VS.SEX")
ADDRESS = ("IG.VS", "1", "IT.VS.ADDRESS")
FIRST = {WEIGHT: "21.5", HR: "96", DATE: "2026-11-23", SEX: "F"}


def _save(ws: Workspace, user: UserSession, key: str, values: dict, **kw: object):  # type: ignore[no-untyped-def]
    return save_form(ws, user, key, "SE.SCREEN", "", "F.VS", values, **kw)  # type: ignore[arg-type]


def test_first_save_needs_no_reason_and_writes_one_audit_row_per_item(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    result = _save(ws, nurse, subject_key, FIRST)
    assert result.changed_items == 4
    assert result.audit_rows == 4
    snapshot = load_form(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS")
    assert snapshot.values[WEIGHT] == "21.5"
    assert snapshot.mdv_oid == "MDV.TEST.1"
    rows = audit_rows(ws, staff[Role.INVESTIGATOR], path_prefix=f"{subject_key}/SE.SCREEN/F.VS")
    assert sorted(r.path for r in rows if r.action == "insert") == sorted(
        f"{subject_key}/SE.SCREEN/F.VS/IG.VS[1]/{item}"
        for item in ("IT.VS.WEIGHT", "IT.VS.HR", "IT.VS.DATE", "IT.VS.SEX")
    )
    assert all(r.username == "nurse" for r in rows)


def test_a_later_change_needs_a_reason_and_nothing_is_saved_without_one(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str, clock: FixedClock
) -> None:
    nurse = staff[Role.NURSE]
    _save(ws, nurse, subject_key, FIRST)
    clock.advance(timedelta(hours=1))
    with pytest.raises(ReasonRequired) as exc:
        _save(ws, nurse, subject_key, {WEIGHT: "22.0", HR: "96"})
    assert exc.value.code == "forms.reason_required"
    assert load_form(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS").values[WEIGHT] == "21.5"

    result = _save(ws, nurse, subject_key, {WEIGHT: "22.0", HR: "96"}, reason="scale recalibrated")
    assert (result.changed_items, result.audit_rows) == (1, 1)  # unchanged HR writes nothing
    update = audit_rows(
        ws, nurse, path_prefix=f"{subject_key}/SE.SCREEN/F.VS/IG.VS[1]/IT.VS.WEIGHT"
    )[0]
    assert (update.action, update.old_value, update.new_value, update.reason) == (
        "update",
        "21.5 kg",
        "22.0 kg",
        "scale recalibrated",
    )
    assert update.ts_utc.replace(tzinfo=None) == clock.now().replace(tzinfo=None)
    assert update.utc_offset_minutes == 480
    assert verify_audit(ws).ok


def test_hard_range_is_refused_with_the_allowed_range(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    with pytest.raises(FormValidationFailed) as exc:
        _save(ws, staff[Role.NURSE], subject_key, {**FIRST, WEIGHT: "215"})
    (problem,) = exc.value.values["problems"]
    assert (problem.key, problem.code) == (WEIGHT, HARD_RANGE)
    assert (problem.values["low"], problem.values["high"]) == (0.5, 150)
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ItemData)) == 0


def test_soft_range_needs_a_confirmation_comment_which_is_audited(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    with pytest.raises(FormValidationFailed) as exc:
        _save(ws, nurse, subject_key, {WEIGHT: "3.2"})
    assert exc.value.values["problems"][0].code == SOFT_RANGE
    result = _save(
        ws, nurse, subject_key, {WEIGHT: "3.2"}, confirmations={WEIGHT: "neonate-sized, re-weighed"}
    )
    assert result.changed_items == 1
    rows = audit_rows(ws, nurse, path_prefix=subject_key)
    confirmed = [r for r in rows if r.action == "soft_range_confirmed"]
    assert confirmed and confirmed[0].reason == "neonate-sized, re-weighed"


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        (WEIGHT, "twenty", NOT_A_NUMBER),
        (DATE, "23/11/2026", BAD_DATE),
        (SEX, "X", NOT_IN_CODELIST),
        (("IG.VS", "1", "IT.NOPE"), "1", UNKNOWN_ITEM),
        (("IG.VS", "1", "IT.VS.BMI"), "17.0", DERIVED_ITEM),
        (("IG.VS", "2", "IT.VS.HR"), "90", NOT_REPEATING),
    ],
)
def test_values_are_checked_against_the_definition(
    ws: Workspace, key: tuple[str, str, str], value: str, code: str
) -> None:
    assert [p.code for p in validate_values(ws, "F.VS", {key: value})] == [code]


def test_a_repeating_group_takes_rows_and_all_items_are_one_transaction(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    values = {("IG.CM", "1", "IT.CM.DOSE"): "10", ("IG.CM", "2", "IT.CM.DOSE"): "2000"}
    with ws.db.session() as session:
        before = session.scalar(select(func.count()).select_from(AuditRecord))
    with pytest.raises(FormValidationFailed):
        _save(ws, nurse, subject_key, values)
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditRecord)) == before
    values[("IG.CM", "2", "IT.CM.DOSE")] = "20"
    assert _save(ws, nurse, subject_key, values).changed_items == 2


def test_clearing_a_saved_value_is_a_change_with_a_reason(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    _save(ws, nurse, subject_key, FIRST)
    with pytest.raises(ReasonRequired):
        _save(ws, nurse, subject_key, {HR: ""})
    _save(ws, nurse, subject_key, {HR: ""}, reason="entered on the wrong subject")
    assert load_form(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS").values[HR] is None


def test_roles_without_data_entry_are_refused(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    for role in (Role.MONITOR, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            _save(ws, staff[role], subject_key, FIRST)


def test_phi_items_are_masked_and_not_writable_without_view_phi(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    _save(ws, staff[Role.NURSE], subject_key, {ADDRESS: "Marker Street 1"})
    snapshot = load_form(ws, staff[Role.DATA_MANAGER], subject_key, "SE.SCREEN", "", "F.VS")
    assert snapshot.values[ADDRESS] is None and ADDRESS in snapshot.masked
    with pytest.raises(PermissionDenied):
        _save(ws, staff[Role.DATA_MANAGER], subject_key, {ADDRESS: "x"}, reason="r")


def test_unknown_subject_form_or_missing_study_are_clear_errors(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    with pytest.raises(SubjectNotFound):
        _save(ws, nurse, "FD-999", FIRST)
    with pytest.raises(UnknownForm):
        save_form(ws, nurse, subject_key, "SE.NOPE", "", "F.VS", FIRST)
    ws.study = None
    with pytest.raises(StudyNotAvailable):
        _save(ws, nurse, subject_key, FIRST)


def test_never_saved_form_loads_empty(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    snapshot = load_form(ws, staff[Role.MONITOR], subject_key, "SE.POST", "3", "F.VS")
    assert snapshot.status == "not_started" and dict(snapshot.values) == {}


def test_a_null_flavour_records_why_there_is_no_value(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    _save(ws, nurse, subject_key, {WEIGHT: "21.5"}, null_flavors={HR: "NASK"})
    rows = audit_rows(ws, nurse, path_prefix=f"{subject_key}/SE.SCREEN/F.VS/IG.VS[1]/IT.VS.HR")
    assert rows[0].new_value == "[NASK]"
    with pytest.raises(FormValidationFailed) as exc:
        _save(ws, nurse, subject_key, {HR: "90"}, null_flavors={HR: "NASK"}, reason="x")
    assert exc.value.values["problems"][0].code == BAD_NULL_FLAVOR
    with pytest.raises(ReasonRequired):
        _save(ws, nurse, subject_key, {HR: "90"})
    _save(ws, nurse, subject_key, {HR: "90"}, reason="measured after all")
    assert load_form(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS").values[HR] == "90"


def test_complete_needs_every_required_item(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    with pytest.raises(FormValidationFailed) as exc:
        _save(ws, nurse, subject_key, {HR: "96"}, complete=True)
    assert [(p.key, p.code) for p in exc.value.values["problems"]] == [(DATE, REQUIRED)]
    _save(ws, nurse, subject_key, {HR: "96", DATE: "2026-11-23"}, complete=True)
    assert load_form(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS").status == "complete"

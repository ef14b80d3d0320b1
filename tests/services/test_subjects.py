"""Subject list with PHI only for roles that need it; next subject ID; overview of events."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.auth import UserSession
from app.services.errors import InvalidInput, PermissionDenied, SubjectNotFound
from app.services.forms import save_form
from app.services.permissions import Role
from app.services.subjects import (
    NewSubject,
    create_subject,
    list_subjects,
    next_subject_key,
    subject_overview,
)
from app.services.workspace import Workspace


def _new(n: int) -> NewSubject:
    return NewSubject(f"Child Number{n}", f"HN{n:05d}", date(2015, 3, n), "M")


def test_subject_ids_follow_the_site_code(ws: Workspace, staff: dict[Role, UserSession]) -> None:
    investigator = staff[Role.INVESTIGATOR]
    assert next_subject_key(ws) == "FD-001"
    keys = [create_subject(ws, investigator, _new(n)).subject_key for n in (1, 2, 3)]
    assert keys == ["FD-001", "FD-002", "FD-003"]
    assert next_subject_key(ws) == "FD-004"


def test_names_are_shown_only_to_roles_with_view_phi(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    create_subject(ws, staff[Role.INVESTIGATOR], _new(1))
    (nurse_row,) = list_subjects(ws, staff[Role.NURSE])
    (dm_row,) = list_subjects(ws, staff[Role.DATA_MANAGER])
    assert nurse_row.name == "Child Number1" and nurse_row.hospital_number == "HN00001"
    assert dm_row.name is None and dm_row.hospital_number is None
    assert dm_row.subject_key == "FD-001" and dm_row.stage == "screening"


def test_search_by_id_and_for_phi_roles_by_name(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    for n in (1, 2, 12):
        create_subject(ws, staff[Role.INVESTIGATOR], _new(n))
    assert [r.subject_key for r in list_subjects(ws, staff[Role.MONITOR], "fd-002")] == ["FD-002"]
    assert [r.subject_key for r in list_subjects(ws, staff[Role.NURSE], "number1")] == [
        "FD-001",
        "FD-003",
    ]
    # A role without PHI cannot find subjects by name (the search would leak it).
    assert list_subjects(ws, staff[Role.DATA_MANAGER], "number1") == []


def test_registration_is_refused_for_nurses_and_monitors_and_checks_input(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    for role in (Role.NURSE, Role.MONITOR, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            create_subject(ws, staff[role], _new(1))
    with pytest.raises(InvalidInput):
        create_subject(ws, staff[Role.INVESTIGATOR], NewSubject("", "HN1", date(2015, 1, 1), "M"))
    with pytest.raises(InvalidInput):
        create_subject(
            ws, staff[Role.INVESTIGATOR], NewSubject("A B", "HN1", date(2099, 1, 1), "M")
        )


def test_the_audit_of_a_registration_names_no_phi(
    ws: Workspace, staff: dict[Role, UserSession]
) -> None:
    from app.services.audit_trail import audit_rows

    create_subject(ws, staff[Role.INVESTIGATOR], _new(7))
    text = repr(audit_rows(ws, staff[Role.INVESTIGATOR]))
    assert "Number7" not in text and "HN00007" not in text


def test_overview_lists_events_in_order_with_form_status(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse = staff[Role.NURSE]
    save_form(ws, nurse, subject_key, "SE.POST", "14", "F.VS", {("IG.VS", "1", "IT.VS.HR"): "90"})
    save_form(ws, nurse, subject_key, "SE.POST", "-3", "F.VS", {("IG.VS", "1", "IT.VS.HR"): "91"})
    overview = subject_overview(ws, nurse, subject_key)
    assert overview.name == "Marker Childname"
    assert [(e.event_oid, e.repeat_key) for e in overview.events] == [
        ("SE.SCREEN", ""),
        ("SE.POST", "-3"),
        ("SE.POST", "14"),
    ]
    assert overview.events[0].forms[0].status == "not_started"
    assert overview.events[1].forms[0].status == "incomplete"
    assert subject_overview(ws, staff[Role.DATA_MANAGER], subject_key).name is None
    with pytest.raises(SubjectNotFound):
        subject_overview(ws, nurse, "FD-404")


def test_identity_corrections_need_a_reason_and_keep_phi_out_of_the_trail(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    from app.services.audit_trail import audit_rows
    from app.services.errors import ReasonRequired
    from app.services.subjects import subject_identity, update_identity

    nurse = staff[Role.NURSE]
    current = subject_identity(ws, nurse, subject_key)
    corrected = NewSubject("Marker Corrected", current.hospital_number, current.birth_date, "F")
    with pytest.raises(ReasonRequired):
        update_identity(ws, nurse, subject_key, corrected, reason=" ")
    with pytest.raises(PermissionDenied):
        subject_identity(ws, staff[Role.DATA_MANAGER], subject_key)
    update_identity(ws, nurse, subject_key, corrected, reason="spelling on the ID card")
    assert subject_identity(ws, nurse, subject_key).full_name == "Marker Corrected"
    rows = audit_rows(ws, nurse, path_prefix=f"{subject_key}/identity")
    assert rows[0].new_value == "full_name" and rows[0].reason == "spelling on the ID card"
    assert "Marker" not in repr(audit_rows(ws, nurse))

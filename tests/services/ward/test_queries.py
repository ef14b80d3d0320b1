"""Data queries: raised by a data manager or monitor, answered by the site, closed by the raiser;
the list by state; SDV by monitors only; each step audited, every other role refused."""

from __future__ import annotations

import pytest

from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.errors import PermissionDenied, UnknownForm
from app.services.forms import load_form, save_form
from app.services.permissions import Role
from app.services.queries import (
    QueryFilter,
    answer_query,
    close_query,
    list_queries,
    mark_sdv,
    raise_query,
)
from app.services.stage_common import NotQueryRaiser, QueryStateError
from app.services.workspace import Workspace

VS = ("SE.SCREEN", "", "F.VS")
WEIGHT = ("IG.VS", "1", "IT.VS.WEIGHT")


@pytest.fixture
def saved(ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str) -> str:
    save_form(ward_ws, users[Role.NURSE], new_subject, *VS, {WEIGHT: "25"})
    return new_subject


def test_query_life_cycle(ward_ws: Workspace, users: dict[Role, UserSession], saved: str) -> None:
    ws, monitor = ward_ws, users[Role.MONITOR]
    q = raise_query(ws, monitor, saved, *VS, WEIGHT, "Weight differs from the chart")
    assert (q.status, q.raised_by, q.item) == ("open", "monitor", WEIGHT)
    assert [r.query_oid for r in list_queries(ws, users[Role.NURSE],
            QueryFilter(subject_key=saved, status="open"))] == [q.query_oid]  # fmt: skip
    with pytest.raises(QueryStateError):
        close_query(ws, monitor, q.query_oid)  # not answered yet
    a = answer_query(ws, users[Role.NURSE], q.query_oid, "Chart corrected: 25 kg is right")
    assert (a.status, a.answered_by) == ("answered", "nurse")
    with pytest.raises(NotQueryRaiser):
        close_query(ws, _other_monitor(ws, users), q.query_oid)
    c = close_query(ws, monitor, q.query_oid)
    assert (c.status, c.closed_by) == ("closed", "monitor")
    assert list_queries(ws, monitor, QueryFilter(status="open")) == []
    with pytest.raises(QueryStateError):
        answer_query(ws, users[Role.NURSE], q.query_oid, "again")
    actions = [r.action for r in reversed(audit_rows(ws, monitor, saved))]
    assert actions.count("query_raised") == 1
    statuses = [(r.old_value, r.new_value) for r in reversed(audit_rows(ws, monitor))
                if r.action == "query_status"]  # fmt: skip
    assert statuses == [("open", "answered"), ("answered", "closed")]


def _other_monitor(ws: Workspace, users: dict[Role, UserSession]) -> UserSession:
    from app.services.users import create_user

    from ..conftest import STAFF_PASSWORD

    admin = _admin(ws)
    row = create_user(ws, admin, "monitor2", "Other Monitor", Role.MONITOR, STAFF_PASSWORD)
    return UserSession(row.user_id, row.username, row.full_name, Role.MONITOR)


def _admin(ws: Workspace) -> UserSession:
    from app.services.auth import login

    from ..conftest import ADMIN_PASSWORD

    return login(ws, "admin", ADMIN_PASSWORD)


@pytest.mark.parametrize("role", [Role.NURSE, Role.PHYSICIAN, Role.INVESTIGATOR])
def test_site_roles_cannot_raise_queries(
    ward_ws: Workspace, users: dict[Role, UserSession], saved: str, role: Role
) -> None:
    with pytest.raises(PermissionDenied):
        raise_query(ward_ws, users[role], saved, *VS, WEIGHT, "?")


def test_monitor_cannot_answer_and_data_manager_closes_any_query(
    ward_ws: Workspace, users: dict[Role, UserSession], saved: str
) -> None:
    q = raise_query(ward_ws, users[Role.MONITOR], saved, *VS, WEIGHT, "Check the unit")
    with pytest.raises(PermissionDenied):
        answer_query(ward_ws, users[Role.MONITOR], q.query_oid, "self-answer")
    answer_query(ward_ws, users[Role.PHYSICIAN], q.query_oid, "kg, as the lab reports")
    assert close_query(ward_ws, users[Role.DATA_MANAGER], q.query_oid).status == "closed"


def test_a_query_needs_a_saved_form_and_an_item_of_it(
    ward_ws: Workspace, users: dict[Role, UserSession], saved: str
) -> None:
    dm = users[Role.DATA_MANAGER]
    with pytest.raises(UnknownForm):
        raise_query(ward_ws, dm, saved, "SE.SCREEN", "", "F.CHEM", ("IG.CHEM", "1", "IT.LB.ALT"),
                    "no such data")  # fmt: skip
    with pytest.raises(UnknownForm):
        raise_query(ward_ws, dm, saved, *VS, ("IG.VS", "1", "IT.LB.ALT"), "not in this form")


def test_sdv_by_monitors_only_and_cleared_by_a_change(
    ward_ws: Workspace, users: dict[Role, UserSession], saved: str
) -> None:
    with pytest.raises(PermissionDenied):
        mark_sdv(ward_ws, users[Role.DATA_MANAGER], saved, *VS)
    assert mark_sdv(ward_ws, users[Role.MONITOR], saved, *VS) is True
    assert load_form(ward_ws, users[Role.NURSE], saved, *VS).sdv
    save_form(ward_ws, users[Role.NURSE], saved, *VS, {WEIGHT: "26"}, reason="re-weighed")
    assert not load_form(ward_ws, users[Role.NURSE], saved, *VS).sdv
    sdv = [r for r in audit_rows(ward_ws, users[Role.MONITOR], saved) if r.action == "form_sdv"]
    assert [(r.old_value, r.new_value) for r in reversed(sdv)] == [
        ("false", "true"),
        ("true", "false"),
    ]


def test_the_demo_ward_has_a_query_in_each_state_on_stored_blood_counts(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    import random

    from app.services.demo import DemoContext
    from app.services.demo_queries import FBC_ANC, add_demo_queries

    add_demo_queries(DemoContext(ward_ws, users, len(demo), random.Random(1)))

    rows = list_queries(ward_ws, users[Role.MONITOR])
    assert sorted(r.status for r in rows) == ["answered", "closed", "open"]
    assert len({r.subject_key for r in rows}) == 3  # three different subjects
    assert all(r.form_oid == "F.FBC" and r.item == FBC_ANC for r in rows)
    assert all(r.raised_by == "datamanager" for r in rows)
    stored = {r.subject_key: load_form(ward_ws, users[Role.NURSE], r.subject_key, r.event_oid,
                                       r.repeat_key, r.form_oid) for r in rows}  # fmt: skip
    assert all(FBC_ANC in form.values for form in stored.values())  # on a value that exists

"""Ward-screen fixtures: the ward users and subjects of tests/services/ward on the UI's site.

The UI's `site`, `runner`, `make_context` (tests/ui/conftest.py) are reused; the ward users are
the demo usernames with the services' staff password, plus a second nurse.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.clock import FixedClock
from app.services._uow import unit_of_work
from app.services.auth import UserSession
from app.services.demo import DEMO_USERNAMES
from app.services.permissions import Role
from app.services.subjects import NewSubject, create_subject
from app.services.users import add_user
from app.services.workspace import Workspace
from app.study.loader import default_study
from tests.services.conftest import STAFF_PASSWORD

__all__ = ["STAFF_PASSWORD"]


@pytest.fixture
def ward_ws(site: Any) -> Workspace:
    site.workspace.study = default_study()
    return site.workspace  # type: ignore[no-any-return]


@pytest.fixture
def users(ward_ws: Workspace, clock: FixedClock) -> dict[Role, UserSession]:
    sessions: dict[Role, UserSession] = {}
    with unit_of_work(ward_ws, None) as session:
        for role, name in DEMO_USERNAMES.items():
            if role is Role.ADMINISTRATOR:
                continue
            user = add_user(session, name, f"Demo {role.value}", role, STAFF_PASSWORD, clock.now())
            sessions[role] = UserSession(user.id, user.username, user.full_name, role)
        add_user(session, "nurse2", "Second Nurse", Role.NURSE, STAFF_PASSWORD, clock.now())
    return sessions


@pytest.fixture
def new_subject(ward_ws: Workspace, users: dict[Role, UserSession], clock: FixedClock) -> str:
    identity = NewSubject("Walk Through Child", "HN-WALK-1", clock.today().replace(year=2016), "M")
    return create_subject(ward_ws, users[Role.INVESTIGATOR], identity).subject_key


@pytest.fixture(autouse=True)
def _no_real_modals(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page closed at teardown with unsaved edits must not block on a real message box."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)

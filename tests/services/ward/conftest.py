"""Ward-workflow fixtures: a real SQLCipher site with the full study definition, one demo user
per role (app.services.demo usernames) and, for worklist tests, the demo ward scenarios."""

from __future__ import annotations

import pytest

from app.domain.clock import FixedClock
from app.services._uow import unit_of_work
from app.services.auth import UserSession
from app.services.demo import DEMO_USERNAMES
from app.services.demo_ward import SCENARIOS, populate_ward_demo
from app.services.permissions import Role
from app.services.site_setup import SetupResult
from app.services.subjects import NewSubject, create_subject
from app.services.users import add_user
from app.services.workspace import Workspace
from app.study.loader import default_study

from ..conftest import STAFF_PASSWORD


@pytest.fixture
def ward_ws(site: SetupResult) -> Workspace:
    site.workspace.study = default_study()
    return site.workspace


@pytest.fixture
def users(ward_ws: Workspace, clock: FixedClock) -> dict[Role, UserSession]:
    """The demo users (nurse, physician, ...), all with STAFF_PASSWORD; a second nurse too."""
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
def demo(ward_ws: Workspace, users: dict[Role, UserSession], clock: FixedClock) -> dict[str, str]:
    """One subject per demo scenario: subject ID -> scenario name."""
    return populate_ward_demo(ward_ws, clock, len(SCENARIOS))


@pytest.fixture
def new_subject(ward_ws: Workspace, users: dict[Role, UserSession], clock: FixedClock) -> str:
    identity = NewSubject("Walk Through Child", "HN-WALK-1", clock.today().replace(year=2016), "M")
    return create_subject(ward_ws, users[Role.INVESTIGATOR], identity).subject_key

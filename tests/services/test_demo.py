"""The demo site: one user per role, synthetic subjects, screening data through save_form."""

from __future__ import annotations

from pathlib import Path

from app.domain.clock import FixedClock
from app.services.auth import login
from app.services.demo import (
    DEMO_USERNAMES,
    DemoContext,
    add_subjects,
    create_demo_site,
    fill_screening,
)
from app.services.forms import load_form
from app.services.permissions import Role
from app.services.subjects import list_subjects
from app.services.users import list_users

from .conftest import STAFF_PASSWORD, MemoryKeyring, small_study


def _use_small_study(ctx: DemoContext) -> None:
    ctx.workspace.study = small_study()


def test_demo_site_has_every_role_and_synthetic_subjects_with_data(
    db_path: Path, clock: FixedClock, memory_keyring: MemoryKeyring, fast_argon2: None
) -> None:
    result = create_demo_site(
        db_path, 3, STAFF_PASSWORD, clock, steps=[_use_small_study, add_subjects, fill_screening]
    )
    ws = result.workspace
    try:
        admin = login(ws, "admin", STAFF_PASSWORD)
        assert {u.username: u.role for u in list_users(ws, admin)} == {
            name: role for role, name in DEMO_USERNAMES.items()
        }
        nurse = login(ws, "nurse", STAFF_PASSWORD)
        rows = list_subjects(ws, nurse)
        assert [r.subject_key for r in rows] == ["FD-001", "FD-002", "FD-003"]
        assert all(r.name is not None and r.name.startswith("Demo Child") for r in rows)
        snapshot = load_form(ws, nurse, "FD-001", "SE.SCREEN", "", "F.VS")
        weight = float(snapshot.values[("IG.VS", "1", "IT.VS.WEIGHT")] or 0)
        assert 5 <= weight <= 100  # inside the soft range: no confirmation needed
        assert list_subjects(ws, login(ws, "monitor", STAFF_PASSWORD))[0].stage == "screening"
        assert Role.NURSE in DEMO_USERNAMES
    finally:
        ws.close()

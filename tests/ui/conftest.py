"""UI test fixtures: one real worker, a real SQLCipher site per test, English at the start of each test.

Modal dialogs are patched where a test drives them (vorta's tests/unit/conftest.py pattern); every
wait goes through qtbot.waitUntil on the runner's queue, never a sleep.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.domain.clock import FixedClock
from app.paths import resource
from ui.i18n import ENGLISH, LanguageManager
from ui.worker import ServiceRunner

ADMIN_PASSWORD = "correct horse battery staple"
NURSE_PASSWORD = "quiet ward lantern morning tea"


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """Compile the .qm when it is missing or older than the .ts (`make` does the same)."""
    for ts in resource("translations").glob("seqtx*_zh_CN.ts"):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            lrelease = Path(sys.executable).parent / "pyside6-lrelease"
            subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[ServiceRunner]:
    service_runner = ServiceRunner()
    yield service_runner
    service_runner.shutdown()


@pytest.fixture
def language(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager(qapp)
    manager.switch(ENGLISH, remember=False)
    yield manager
    manager.switch(ENGLISH, remember=False)


def wait_for(qtbot: Any, runner: ServiceRunner) -> None:
    """Until every submitted job's callback ran on the GUI thread."""
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=20_000)


@pytest.fixture
def site(db_path: Path, clock: FixedClock) -> Any:
    """A real site database with administrator `admin`, created through the services."""
    from app.services.site_setup import setup_site

    db_path.parent.mkdir(parents=True, exist_ok=True)
    result = setup_site(
        db_path, "FD", "Fudan test site", "admin", "Ada Admin", ADMIN_PASSWORD, clock
    )
    yield result
    result.workspace.close()


@pytest.fixture
def admin(site: Any) -> Any:
    from app.services.auth import login

    return login(site.workspace, "admin", ADMIN_PASSWORD)


@pytest.fixture
def make_context(
    runner: ServiceRunner, language: LanguageManager, clock: FixedClock, db_path: Path
) -> Any:
    from ui.context import ShellContext

    def build(workspace: Any, session: Any) -> ShellContext:
        return ShellContext(runner, workspace, session, clock, language, db_path)

    return build


DEMO_PASSWORD = "demo passphrase for the ward"


@dataclass
class Ward:
    workspace: Any
    subjects: dict[str, str]  # subject ID -> scenario

    def login(self, username: str) -> Any:
        from app.services.auth import login

        return login(self.workspace, username, DEMO_PASSWORD)


@pytest.fixture
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 for the six demo users (production cost: tests/services/test_passwords)."""
    import functools

    from argon2 import PasswordHasher

    from app.services import passwords
    from db import keys

    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    monkeypatch.setattr(
        keys,
        "KdfParams",
        functools.partial(keys.KdfParams, time_cost=1, memory_cost_kib=1024, parallelism=1),
    )


@pytest.fixture
def ward(tmp_path: Path, clock: FixedClock, fast_argon2: None) -> Iterator[Ward]:
    from app.services.demo import create_demo_site
    from app.services.demo_ward import populate_ward_demo

    result = create_demo_site(tmp_path / "ward" / "seqtx.db", 0, DEMO_PASSWORD, clock)
    subjects = populate_ward_demo(result.workspace, clock, 5)
    yield Ward(result.workspace, subjects)
    result.workspace.close()

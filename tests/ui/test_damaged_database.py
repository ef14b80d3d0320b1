"""A damaged database is detected at start-up and the latest automatic backup is offered.

Real SQLCipher files: a site is created, its daily backup taken, then one byte of the database is
flipped. Accepting the offer restores the backup and reaches the login window; declining changes
nothing on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.backup import ensure_daily_backup
from tests.ui.conftest import wait_for
from tests.ui.test_shell import memory_keyring, shell  # noqa: F401  (fixtures)
from ui.login_dialog import LoginDialog


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2  # a page after the first: damage, not a wrong key
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged_site(memory_keyring: Any, site: Any, db_path: Path) -> Path:  # noqa: F811
    backup = ensure_daily_backup(site.workspace)
    assert backup is not None and backup.is_file()
    assert ensure_daily_backup(site.workspace) is None  # one a day
    site.workspace.close()
    _damage(db_path)
    return backup


def test_accepting_the_offer_restores_the_backup_and_opens_login(
    qtbot: Any,
    runner: Any,
    shell: Any,  # noqa: F811  (fixture imported above)
    damaged_site: Path,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def answer_yes(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    shell.start()
    wait_for(qtbot, runner)
    assert len(asked) == 1 and "backup" in asked[0]
    assert isinstance(shell.window, LoginDialog)
    # The damaged file is kept aside, never deleted.
    assert any(p != db_path and p.name.startswith(db_path.name) for p in db_path.parent.iterdir())


def test_declining_the_offer_changes_nothing(
    qtbot: Any,
    runner: Any,
    shell: Any,  # noqa: F811  (fixture imported above)
    damaged_site: Path,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _digest(db_path)
    listing = sorted(p.name for p in db_path.parent.iterdir())
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    quits: list[bool] = []
    monkeypatch.setattr(shell.app, "quit", lambda: quits.append(True))
    shell.start()
    wait_for(qtbot, runner)
    assert quits == [True]
    assert _digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == listing

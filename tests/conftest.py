"""Shared fixtures: a fixed clock, an in-memory keyring, temporary database paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.clock import FixedClock


@pytest.fixture
def clock() -> FixedClock:
    """2026-11-24 09:00 Shanghai (01:00 UTC); advance it by hand, never sleep."""
    return FixedClock(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "site" / "seqtx.db"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep per-user data, config and temp files of every test inside its own tmp_path."""
    monkeypatch.setenv("SEQTX_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield

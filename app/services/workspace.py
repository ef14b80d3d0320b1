"""The open site: its database, study definition, clock and file, handed to every service call.

A Workspace exists only once the database key is known (site_setup.unlock_*). There is no global:
screens and commands pass the Workspace they were given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from app.domain.clock import Clock
from app.services.errors import StudyNotAvailable
from app.study.model import StudyDefinition
from db.engine import Database

DATA_DIR_ENV = "SEQTX_DATA_DIR"
DB_FILENAME = "seqtx.db"


def data_dir() -> Path:
    """Per-user data directory: $SEQTX_DATA_DIR, else platformdirs user_data_dir("SeqTx")."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("SeqTx", appauthor=False))


def default_database_path() -> Path:
    return data_dir() / DB_FILENAME


def offset_minutes(clock: Clock) -> int:
    """The workstation's UTC offset in minutes, from clocks that know it (SystemClock, FixedClock)."""
    getter = getattr(clock, "local_offset_minutes", None)
    return int(getter()) if callable(getter) else 0


@dataclass
class Workspace:
    """An unlocked site database. `study` is None until the study definition is available."""

    db: Database
    study: StudyDefinition | None
    clock: Clock
    db_path: Path
    db_id: str = ""
    # The raw key stays in memory only (the engine's pooled connections need it anyway); it is
    # what remember_key_in_keyring stores. Never logged (repr=False).
    key: bytes = field(default=b"", repr=False)
    study_error: str | None = None  # why `study` is None (e.g. a definition file error)

    def require_study(self) -> StudyDefinition:
        if self.study is None:
            raise StudyNotAvailable(detail=self.study_error or "no study definition installed")
        return self.study

    def close(self) -> None:
        self.db.close()

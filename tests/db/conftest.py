"""Database test fixtures: a key, a fresh site database, an in-memory keyring, an audit context."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest

from app.domain.clock import FixedClock
from db.audit import AuditContext
from db.engine import Database
from db.keys import allow_backend_for_tests, generate_key
from db.site_db import create_site_database
from tests.db.memory_keyring import MemoryKeyring


@pytest.fixture
def key() -> bytes:
    return generate_key()


@pytest.fixture
def site_db(db_path: Path, key: bytes) -> Iterator[Database]:
    db = create_site_database(db_path, key)
    yield db
    db.close()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    allow_backend_for_tests(MemoryKeyring)
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def ctx(clock: FixedClock) -> AuditContext:
    return AuditContext(user_id=1, now=clock.now, offset_minutes=480)


def t(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 24, hour, minute, tzinfo=UTC)

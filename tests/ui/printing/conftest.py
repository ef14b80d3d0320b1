"""Printing and sync-page fixtures: a real SQLCipher demo site with the ward scenarios.

FD-001 screening, FD-002 enrolled, FD-003 unit selected, FD-004 conditioning day -3 (doses and
checklists due today), FD-005 infused, day +6, blood count due (app.services.demo_ward.SCENARIOS).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.domain.clock import FixedClock

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


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page (pypdf), whitespace removed, for searching labels and IDs."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return ["".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.fixture(scope="session", autouse=True)
def _compiled_print_catalogue() -> None:
    """Compile this area's catalogue when its .qm is missing or stale (`make` does the same)."""
    import subprocess
    import sys

    from app.paths import resource

    ts = resource("translations", "seqtx_print_zh_CN.ts")
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)

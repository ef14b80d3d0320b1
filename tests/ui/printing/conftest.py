"""Printing and sync-page fixtures: a real SQLCipher demo site with the ward scenarios.

FD-001 screening, FD-002 enrolled, FD-003 unit selected, FD-004 conditioning day -3 (doses and
checklists due today), FD-005 infused, day +6, blood count due (app.services.demo_ward.SCENARIOS).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import DEMO_PASSWORD, Ward  # the `ward` fixture lives there

__all__ = ["DEMO_PASSWORD", "Ward"]


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

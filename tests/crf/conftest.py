"""CRF test helpers: the study definitions to render, and reading PDFs back (pypdf, poppler, zbar)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.crf.documents import Site
from app.study.model import StudyDefinition
from tests.crf.sample_study import sample_study

CREATED = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
SITE = Site("CHFU", "复旦大学附属儿科医院")


@pytest.fixture(scope="session")
def study() -> StudyDefinition:
    return sample_study()


def shipped_study() -> StudyDefinition:
    """The study definition in resources/study; skips while it does not load yet."""
    try:
        from app.study.loader import default_study

        return default_study()
    except Exception as exc:  # the definition is being written by the protocol engineer
        pytest.skip(f"the shipped study definition does not load yet: {exc}")


def squash(text: str) -> str:
    """Text without any whitespace: labels may wrap anywhere on paper."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> list[str]:
    """The text of each page, as a PDF reader's search sees it."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} not installed (Debian: poppler-utils / zbar-tools)")
    return found


def rasterise(pdf: Path, page: int, dpi: int = 150) -> Path:
    prefix = pdf.with_suffix("")
    subprocess.run(
        [
            need("pdftoppm"),
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return prefix.with_suffix(".png")


def decode_qr(png: Path) -> list[str]:
    result = subprocess.run(
        [need("zbarimg"), "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if line]

"""`seqtx crf blank|filled|casebook` as real subprocesses on a demo site database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_commands import PASSWORD, assert_clean_error, recovery_code, seqtx
from tests.crf.conftest import pdf_text, squash


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("crfdemo") / "site.db"
    out = seqtx(
        "demo", "--db", str(db), "--subjects", "1", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert out.returncode == 0, out.stderr
    return db, recovery_code(out.stdout)


def _as(db: Path, code: str, user: str, *args: str) -> subprocess.CompletedProcess[str]:
    return seqtx(
        *args, "--db", str(db), "--user", user, "--recovery-code-stdin", "--password-stdin",
        stdin=f"{code}\n{PASSWORD}\n",
    )  # fmt: skip


def test_blank_form_and_visit(tmp_path: Path) -> None:
    pdf = tmp_path / "infus.pdf"
    out = seqtx("crf", "blank", "--form", "F.INFUS", "--out", str(pdf))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("page(s)")
    assert "Version1.0·F.INFUS" in squash("".join(pdf_text(pdf)))
    visit = tmp_path / "fu03.pdf"
    assert seqtx("crf", "blank", "--event", "SE.FU03", "--out", str(visit)).returncode == 0
    assert "第3个月随访" in squash("".join(pdf_text(visit)))


def test_blank_refuses_unknown_oids_cleanly(tmp_path: Path) -> None:
    assert_clean_error(
        seqtx("crf", "blank", "--form", "F.NOPE", "--out", str(tmp_path / "x.pdf")), "F.NOPE"
    )
    assert_clean_error(
        seqtx("crf", "blank", "--form", "F.FU", "--out", str(tmp_path / "missing" / "x.pdf")),
        "no such directory",
    )
    assert not (tmp_path / "x.pdf").exists()


def test_filled_visit_and_casebook_from_the_database(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    db, code = demo
    filled = tmp_path / "screen.pdf"
    out = _as(
        db,
        code,
        "nurse",
        "crf",
        "filled",
        "--subject",
        "FD-001",
        "--event",
        "SE.SCREEN",
        "--out",
        str(filled),
    )
    assert out.returncode == 0, out.stderr
    text = squash("".join(pdf_text(filled)))
    assert "受试者编号SubjectID:FD-001" in text and "筛选Screening" in text
    book = tmp_path / "casebook.pdf"
    out = _as(
        db, code, "investigator", "crf", "casebook", "--subject", "FD-001", "--out", str(book)
    )
    assert out.returncode == 0, out.stderr
    assert PdfReader(book).outline[0].title == "目录 Contents"


def test_roles_without_print_permission_and_unknown_subjects_fail_cleanly(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    db, code = demo
    out = _as(
        db,
        code,
        "admin",
        "crf",
        "casebook",
        "--subject",
        "FD-001",
        "--out",
        str(tmp_path / "c.pdf"),
    )
    assert_clean_error(out, "print_crf")
    out = _as(
        db,
        code,
        "nurse",
        "crf",
        "casebook",
        "--subject",
        "FD-999",
        "--out",
        str(tmp_path / "c.pdf"),
    )
    assert_clean_error(out, "FD-999")
    assert not (tmp_path / "c.pdf").exists()

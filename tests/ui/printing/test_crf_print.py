"""crf_print: the PDFs the app previews, prints and saves, from a real demo site database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services import crf_print
from app.services.errors import PermissionDenied, SubjectNotFound
from tests.ui.printing.conftest import Ward, pdf_pages


def test_casebook_has_every_entered_visit_and_the_subject_on_every_page(ward: Ward) -> None:
    document = crf_print.casebook_pdf(ward.workspace, ward.login("investigator"), "FD-005")

    pages = pdf_pages(document.data)
    assert len(pages) == document.pages > 10
    assert document.file_name == "FD-005-casebook.pdf"
    assert "目录Contents" in pages[0]
    assert all("FD-005" in page for page in pages)
    assert pages[-1].count(f"Page{len(pages)}of{len(pages)}") == 1
    assert any("脐带血回输" in page and "Cordbloodinfusion" in page for page in pages)


def test_filled_visit_shows_the_stored_visit_of_that_subject(ward: Ward) -> None:
    document = crf_print.filled_visit_pdf(
        ward.workspace, ward.login("nurse"), "FD-004", "SE.COND", "-3"
    )

    pages = pdf_pages(document.data)
    assert len(pages) == document.pages
    assert document.file_name == "FD-004-SE.COND--3.pdf"
    assert all("FD-004" in page and "Day-3" in page for page in pages)


def test_todays_tasks_come_from_the_worklist(ward: Ward) -> None:
    tasks = {
        (t.subject_key, t.event_oid, t.repeat_key): t.forms
        for t in crf_print.todays_tasks(ward.workspace, ward.login("nurse"))
    }

    # conditioning day -3: today's doses and isolation checklist; day +6: the blood count
    assert {"F.CONDADM", "F.ISOL"} <= set(tasks[("FD-004", "SE.COND", "-3")])
    assert "F.FBC" in tasks[("FD-005", "SE.POST", "6")]
    assert not any(key[0] in ("FD-001", "FD-002", "FD-003") for key in tasks)


def test_blank_forms_for_today_are_one_pdf_headed_with_each_subject(ward: Ward) -> None:
    nurse = ward.login("nurse")
    tasks = crf_print.todays_tasks(ward.workspace, nurse)

    document = crf_print.todays_blank_forms_pdf(ward.workspace, nurse)

    pages = pdf_pages(document.data)
    assert len(pages) == document.pages
    assert document.file_name == "blank-crfs-2026-11-24.pdf"
    for task in tasks:
        assert any(task.subject_key in page for page in pages)
    # blank: boxes to fill by hand, not the "no rows recorded" of a filled form
    assert pages[0].startswith("方案Protocol") and "FD-004" in pages[0] and "Day-3" in pages[0]
    assert not any("Norowsrecorded" in page for page in pages)


def test_no_tasks_gives_an_empty_document(site, admin) -> None:
    from app.services.auth import login
    from app.services.permissions import Role
    from app.services.users import create_user
    from app.study.loader import default_study
    from tests.ui.conftest import NURSE_PASSWORD

    site.workspace.study = default_study()
    create_user(site.workspace, admin, "nina", "Nina Nurse", Role.NURSE, NURSE_PASSWORD)
    nurse = login(site.workspace, "nina", NURSE_PASSWORD)

    document = crf_print.todays_blank_forms_pdf(site.workspace, nurse)
    assert (document.pages, document.data) == (0, b"")


def test_recovery_sheet_carries_the_code_and_database_id() -> None:
    when = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    document = crf_print.recovery_sheet_pdf("ABCD-EFGH-IJKL", "db-1234", "Fudan", when)

    [page] = pdf_pages(document.data)
    assert "ABCD-EFGH-IJKL" in page and "db-1234" in page
    assert document.file_name == "recovery-sheet-20261124.pdf"


def test_save_document_writes_the_whole_file_and_leaves_no_partial(tmp_path: Path) -> None:
    document = crf_print.PrintedDocument(b"%PDF-1.4 test", 1, "t", "t.pdf")
    target = crf_print.save_document(document, tmp_path / "out.pdf")

    assert target.read_bytes() == b"%PDF-1.4 test"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_refusals(ward: Ward) -> None:
    admin = ward.login("admin")  # administrators print no CRFs
    with pytest.raises(PermissionDenied):
        crf_print.todays_blank_forms_pdf(ward.workspace, admin)
    with pytest.raises(PermissionDenied):
        crf_print.casebook_pdf(ward.workspace, admin, "FD-005")
    with pytest.raises(SubjectNotFound):
        crf_print.casebook_pdf(ward.workspace, ward.login("nurse"), "FD-999")

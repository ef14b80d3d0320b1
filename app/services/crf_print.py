"""Use cases: the paper CRFs the app prints or saves, as PDF bytes (issue 5, "In the app").

Composes app.services.crf_data (what is stored) with app.crf.documents (how it is drawn): a
subject's casebook, one filled visit, the blank forms of today's ward tasks, the recovery sheet.
Every call returns a PrintedDocument the print preview shows and saves; nothing is written to disk
here except by `save_document`, which writes under a temporary name and renames when complete.
File names carry the subject ID only, never PHI (TEAM.md, "Patient data").
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.crf.documents import render_casebook, render_filled_visit, render_recovery_sheet
from app.crf.values import VisitValues
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.crf_data import load_subject, load_visits
from app.services.permissions import Permission
from app.services.worklist import build_worklist
from app.services.workspace import Workspace

# Worklist alerts that are work to do today on a form (the ward fills these on paper when the
# workstation is down); other alerts (open queries, infections, engraftment status) are reviews.
TASK_CODES = frozenset({"ward.doses_due", "ward.isolation_due", "ward.count_due"})
TASK_PREFIXES = ("schedule.visit.",)
_SCHEDULE_TASK_STATUSES = frozenset({"due", "open", "overdue"})


@dataclass(frozen=True)
class PrintedDocument:
    """A rendered PDF: its bytes, page count, a title for the preview, a file name to save as."""

    data: bytes
    pages: int
    title: str
    file_name: str


@dataclass(frozen=True)
class PrintTask:
    """One visit of one subject with work due today (its forms are printed blank)."""

    subject_key: str
    event_oid: str
    repeat_key: str


def casebook_pdf(ws: Workspace, user: UserSession, subject_key: str) -> PrintedDocument:
    """All entered forms of one subject with contents and bookmarks (PRINT_CRF)."""
    site, record = load_subject(ws, user, subject_key)
    buffer = io.BytesIO()
    pages = render_casebook(ws.require_study(), record, buffer, created=_local_now(ws), site=site)
    return PrintedDocument(
        buffer.getvalue(), pages, f"{subject_key} · Casebook", f"{subject_key}-casebook.pdf"
    )


def filled_visit_pdf(
    ws: Workspace, user: UserSession, subject_key: str, event_oid: str, repeat_key: str = ""
) -> PrintedDocument:
    """Every form of one visit with its stored values, queries and signatures (PRINT_CRF)."""
    site, visits = load_visits(ws, user, subject_key, event_oid, repeat_key)
    buffer = io.BytesIO()
    pages = render_filled_visit(
        ws.require_study(), subject_key, visits[0], buffer, created=_local_now(ws), site=site
    )
    visit = f"{event_oid}[{repeat_key}]" if repeat_key else event_oid
    name = f"{subject_key}-{event_oid}{'-' + repeat_key if repeat_key else ''}.pdf"
    return PrintedDocument(buffer.getvalue(), pages, f"{subject_key} · {visit}", name)


def todays_tasks(ws: Workspace, user: UserSession, today: date | None = None) -> list[PrintTask]:
    """The visits with form work due today, from the ward worklist, one per subject and visit."""
    tasks: list[PrintTask] = []
    for row in build_worklist(ws, user, today):
        for alert in row.alerts:
            target = alert.target
            if not target.event_oid or target.form_oid is None:
                continue
            if alert.code.startswith(TASK_PREFIXES):
                if alert.code.rsplit(".", 1)[-1] not in _SCHEDULE_TASK_STATUSES:
                    continue
            elif alert.code not in TASK_CODES:
                continue
            task = PrintTask(row.subject_key, target.event_oid, target.repeat_key)
            if task not in tasks:
                tasks.append(task)
    return tasks


def todays_blank_forms_pdf(
    ws: Workspace, user: UserSession, today: date | None = None
) -> PrintedDocument:
    """Blank forms of every visit due today, headed with the subject ID (PRINT_CRF).

    Each visit is printed as a blank visit CRF of that subject (its own page numbering and QR
    codes, so a page scanned back opens that subject's form); an empty worklist gives 0 pages.
    """
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.PRINT_CRF)
    tasks = todays_tasks(ws, user, today)
    study = ws.require_study()
    created = _local_now(ws)
    parts: list[bytes] = []
    pages = 0
    site = None
    for task in tasks:
        if site is None:
            site, _ = load_visits(ws, user, task.subject_key, task.event_oid, task.repeat_key)
        buffer = io.BytesIO()
        visit = VisitValues(task.event_oid, task.repeat_key)
        pages += render_filled_visit(
            study, task.subject_key, visit, buffer, created=created, site=site
        )
        parts.append(buffer.getvalue())
    data = _merge(parts)
    day = (today or created.date()).isoformat()
    return PrintedDocument(data, pages, f"Blank CRFs · {day}", f"blank-crfs-{day}.pdf")


def recovery_sheet_pdf(code: str, db_id: str, site_name: str, when: datetime) -> PrintedDocument:
    """The paper copy of the recovery code shown once at site setup (no login exists yet)."""
    buffer = io.BytesIO()
    pages = render_recovery_sheet(code, db_id, site_name, when, buffer)
    return PrintedDocument(
        buffer.getvalue(), pages, "Recovery sheet", f"recovery-sheet-{when:%Y%m%d}.pdf"
    )


def save_document(document: PrintedDocument, path: Path) -> Path:
    """Write the PDF next to `path` under a temporary name, then rename it into place."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(document.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _local_now(ws: Workspace) -> datetime:
    """The workstation's local time: the "Printed" stamp is read on the ward (as `seqtx crf`)."""
    return ws.clock.now().astimezone()


def _merge(parts: list[bytes]) -> bytes:
    """One PDF of several (pdfium keeps the embedded font subsets and the page content as is)."""
    if len(parts) <= 1:
        return parts[0] if parts else b""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    try:
        for part in parts:
            source = pdfium.PdfDocument(part)
            try:
                merged.import_pages(source)
            finally:
                source.close()
        out = io.BytesIO()
        merged.save(out)
        return out.getvalue()
    finally:
        merged.close()

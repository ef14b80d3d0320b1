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

from app.crf.documents import (
    Site,
    _form_section,
    render_casebook,
    render_filled_visit,
    render_recovery_sheet,
    visit_label,
)
from app.crf.fields import bilingual
from app.crf.frame import write_pdf
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.crf_data import load_subject, load_visits, site_of
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
    """One visit of one subject with work due today: the forms to print blank ("" = all)."""

    subject_key: str
    event_oid: str
    repeat_key: str
    forms: tuple[str, ...] = ()  # in the visit's order; empty: every form of the visit


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
    """The visits with form work due today, from the ward worklist, one per subject and visit.

    A ward task (doses, isolation checklist, blood count) names its form; a follow-up visit due
    or open is the whole visit.
    """
    study = ws.require_study()
    wanted: dict[tuple[str, str, str], set[str] | None] = {}  # None: the whole visit
    for row in build_worklist(ws, user, today):
        for alert in row.alerts:
            target = alert.target
            if not target.event_oid or target.form_oid is None:
                continue
            key = (row.subject_key, target.event_oid, target.repeat_key)
            if alert.code.startswith(TASK_PREFIXES):
                if alert.code.rsplit(".", 1)[-1] in _SCHEDULE_TASK_STATUSES:
                    wanted[key] = None
            elif alert.code in TASK_CODES:
                forms = wanted.setdefault(key, set())
                if forms is not None:
                    forms.add(target.form_oid)
    tasks = []
    for (subject, event_oid, repeat), forms in wanted.items():
        order = study.event(event_oid).forms
        chosen = () if forms is None else tuple(f for f in order if f in forms)
        tasks.append(PrintTask(subject, event_oid, repeat, chosen))
    return tasks


def todays_blank_forms_pdf(
    ws: Workspace, user: UserSession, today: date | None = None
) -> PrintedDocument:
    """Blank forms of the work due today, headed with the subject ID and visit (PRINT_CRF).

    Each task is its own document (page numbering and QR codes per subject and visit, so a page
    scanned back opens that subject's form), merged into one PDF; no task gives 0 pages.
    """
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.PRINT_CRF)
    tasks = todays_tasks(ws, user, today)
    created = _local_now(ws)
    site = site_of(ws)
    parts: list[bytes] = []
    pages = 0
    for task in tasks:
        data, count = _blank_task_pdf(ws, site, task, created)
        parts.append(data)
        pages += count
    data = _merge(parts)
    day = (today or created.date()).isoformat()
    return PrintedDocument(data, pages, f"Blank CRFs · {day}", f"blank-crfs-{day}.pdf")


def _blank_task_pdf(
    ws: Workspace, site: Site, task: PrintTask, created: datetime
) -> tuple[bytes, int]:
    """Blank forms (boxes to fill by hand) of one task, with the subject and visit in the header.

    app.crf.documents renders blank forms without a subject (render_blank_form) or forms with
    stored values; a blank form for a known subject is its `_form_section` with no values.
    """
    study = ws.require_study()
    event = study.event(task.event_oid)
    sections = []
    for n, form_oid in enumerate(task.forms or event.forms):
        form = study.form(form_oid)
        marks: tuple[tuple[str, int], ...] = ((bilingual(form.label), 1),)
        if n == 0:
            marks = ((visit_label(event, task.repeat_key), 0), *marks)
        sections.append(
            _form_section(
                study, form, site, created, task.subject_key, event, task.repeat_key, None, marks
            )
        )
    buffer = io.BytesIO()
    title = f"{task.subject_key} · {visit_label(event, task.repeat_key)} — 空白 CRF blank"
    pages = write_pdf(buffer, sections, title, ", ".join(task.forms or event.forms), created)
    return buffer.getvalue(), pages


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

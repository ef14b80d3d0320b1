"""The CRF documents: blank form or visit, filled visit, casebook, and the site's recovery sheet.

Inputs are the study definition and plain values (app.crf.values); output is a PDF file or stream.
`created` is passed in (the caller's clock), so the same inputs give the same PDF.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from app.crf.fields import bilingual
from app.crf.fonts import text_width, wrap
from app.crf.form_layout import form_blocks, local_time
from app.crf.frame import BODY_W, GREY, LIGHT, RED, Block, PageInfo, Section, text, write_pdf
from app.crf.locator import CrfLocator
from app.crf.values import FormValues, SubjectRecord, VisitValues
from app.study.model import Event, Form, StudyDefinition

Out = str | os.PathLike[str] | BinaryIO


@dataclass(frozen=True)
class Site:
    code: str  # in the QR code, e.g. "CHFU"
    name: str  # printed in the header

    @property
    def printed(self) -> str:
        return f"{self.name} ({self.code})" if self.name and self.code else self.name or self.code


def visit_label(event: Event, repeat_key: str = "") -> str:
    label = bilingual(event.label)
    if not repeat_key:
        return label
    if event.repeat == "study_day":
        day = repeat_key if repeat_key.startswith("-") else f"+{repeat_key}".replace("++", "+")
        return f"{label} · 第 {day} 天 Day {day}"
    if event.repeat == "month":
        return f"{label} · 第 {repeat_key} 月 Month {repeat_key}"
    return f"{label} · #{repeat_key}"


def _protocol(study: StudyDefinition) -> str:
    return f"{study.study_oid} · {study.protocol_name}"


def _form_section(
    study: StudyDefinition,
    form: Form,
    site: Site,
    created: datetime,
    subject: str = "",
    event: Event | None = None,
    repeat_key: str = "",
    values: FormValues | None = None,
    bookmarks: tuple[tuple[str, int], ...] = (),
    qr: bool = True,
) -> Section:
    locator = CrfLocator(
        study=study.study_oid,
        site=site.code,
        subject=subject,
        event=event.oid if event else "ANY",
        repeat=repeat_key,
        form=form.oid,
        version=form.version,
        page=1,
    )
    info = PageInfo(
        protocol=_protocol(study),
        site=site.printed,
        subject=subject,
        visit=visit_label(event, repeat_key) if event else "",
        form_title=bilingual(form.label),
        form_version=f"{form.version} · {form.oid}",
        locator=locator if qr else None,
        created=created,
    )
    blocks = form_blocks(form, study.codelists, values)
    return Section(info, blocks, bookmarks or ((bilingual(form.label), 0),))


def _appendix_section(form: Form, values: FormValues, base: Section) -> Section:
    """The audit history of a form with corrections: who changed what, when and why."""
    info = PageInfo(
        **{
            **base.info.__dict__,
            "form_title": f"稽查轨迹附录 Audit history · {bilingual(form.label)}",
        }
    )
    cols = (
        ("时间 Time", 92.0),
        ("用户 User", 70.0),
        ("项目 Item", 110.0),
        ("原值 Old", 62.0),
        ("新值 New", 62.0),
    )
    reason_w = BODY_W - sum(w for _, w in cols)
    all_cols = (*cols, ("原因 Reason", reason_w))

    def draw_head(c: Canvas, x: float, y: float) -> None:
        c.setFillColorRGB(*LIGHT)
        c.rect(x, y - 15, BODY_W, 15, stroke=0, fill=1)
        cx = x
        for title, w in all_cols:
            text(c, cx + 3, y - 11, title, 7.5, bold=True)
            cx += w

    head = Block(17, draw_head, keep_with_next=True)
    blocks = [head]
    for entry in values.audit:
        cells = (
            local_time(entry.ts_utc, entry.utc_offset_minutes),
            entry.user,
            entry.item,
            entry.old_value or "—",
            entry.new_value or "—",
            entry.reason or "—",
        )
        wrapped = [wrap(v, 7, w - 6) for v, (_, w) in zip(cells, all_cols, strict=True)]
        height = max(len(lines) for lines in wrapped) * 9 + 6

        def draw(
            c: Canvas, x: float, y: float, wrapped: list[list[str]] = wrapped, h: float = height
        ) -> None:
            cx = x
            for lines, (_, w) in zip(wrapped, all_cols, strict=True):
                for i, ln in enumerate(lines):
                    text(c, cx + 3, y - 10 - 9 * i, ln, 7)
                cx += w
            c.setStrokeColorRGB(*LIGHT)
            c.setLineWidth(0.5)
            c.line(x, y - h, x + BODY_W, y - h)

        blocks.append(Block(height, draw, header=head))
    title = f"稽查轨迹附录 Audit history · {bilingual(form.label)}"
    return Section(info, blocks, ((title, 1),))


def render_blank_form(
    study: StudyDefinition,
    form_oid: str,
    out: Out,
    *,
    created: datetime,
    site: Site = Site("", ""),
    event_oid: str | None = None,
    qr: bool = True,
) -> int:
    """A blank form to fill in by hand; returns the number of pages."""
    form = study.form(form_oid)
    event = study.event(event_oid) if event_oid else None
    section = _form_section(study, form, site, created, event=event, qr=qr)
    return write_pdf(out, [section], f"{bilingual(form.label)} — 空白 CRF blank", form.oid, created)


def render_blank_event(
    study: StudyDefinition,
    event_oid: str,
    out: Out,
    *,
    created: datetime,
    site: Site = Site("", ""),
) -> int:
    """All forms of a visit, blank, in the visit's order."""
    event = study.event(event_oid)
    sections = []
    for n, form_oid in enumerate(event.forms):
        form = study.form(form_oid)
        marks = (
            ((bilingual(event.label), 0), (bilingual(form.label), 1))
            if n == 0
            else ((bilingual(form.label), 1),)
        )
        sections.append(_form_section(study, form, site, created, event=event, bookmarks=marks))
    subject = ", ".join(event.forms)
    return write_pdf(out, sections, f"{bilingual(event.label)} — 空白 CRF blank", subject, created)


def _visit_sections(
    study: StudyDefinition,
    subject_key: str,
    site: Site,
    visit: VisitValues,
    created: datetime,
    only_entered: bool,
    qr: bool = True,
) -> list[Section]:
    event = study.event(visit.event_oid)
    sections: list[Section] = []
    title = visit_label(event, visit.repeat_key)
    for form_oid in event.forms:
        values = visit.form(form_oid)
        if values is None:
            if only_entered:
                continue
            values = FormValues(form_oid)
        form = study.form(form_oid)
        marks: tuple[tuple[str, int], ...] = ((bilingual(form.label), 1),)
        if not sections:
            marks = ((title, 0), *marks)
        section = _form_section(
            study, form, site, created, subject_key, event, visit.repeat_key, values, marks, qr
        )
        sections.append(section)
        if values.has_corrections and values.audit:
            sections.append(_appendix_section(form, values, section))
    return sections


def render_filled_visit(
    study: StudyDefinition,
    subject_key: str,
    visit: VisitValues,
    out: Out,
    *,
    created: datetime,
    site: Site = Site("", ""),
    qr: bool = True,
) -> int:
    """Every form of one visit of one subject with its stored values, queries and signatures."""
    sections = _visit_sections(study, subject_key, site, visit, created, only_entered=False, qr=qr)
    event = study.event(visit.event_oid)
    return write_pdf(
        out,
        sections,
        f"{subject_key} · {visit_label(event, visit.repeat_key)}",
        ", ".join(event.forms),
        created,
    )


def render_casebook(
    study: StudyDefinition,
    record: SubjectRecord,
    out: Out,
    *,
    created: datetime,
    site: Site = Site("", ""),
    qr: bool = True,
) -> int:
    """All entered forms of one subject in visit order, with contents page(s) and bookmarks."""
    order = {e.oid: (e.order, i) for i, e in enumerate(study.events)}
    visits = sorted(
        record.visits,
        key=lambda v: (*order.get(v.event_oid, (9999, 9999)), _repeat_num(v.repeat_key)),
    )
    body: list[Section] = []
    entries: list[tuple[str, int, Section]] = []  # (title, level, first section)
    for visit in visits:
        sections = _visit_sections(
            study, record.subject_key, site, visit, created, only_entered=True, qr=qr
        )
        if not sections:
            continue
        event = study.event(visit.event_oid)
        entries.append((visit_label(event, visit.repeat_key), 0, sections[0]))
        for s in sections:
            level_one = [t for t, lvl in s.bookmarks if lvl == 1]
            if level_one and not level_one[0].startswith("稽查"):
                entries.append((level_one[0], 1, s))
        body.extend(sections)
    pages: dict[int, int] = {}
    toc = _toc_section(study, record, site, created, entries, pages, qr)

    def number_entries(page_map: list[tuple[Section, int]]) -> None:
        first = {}
        for page_no, (section, n) in enumerate(page_map, start=1):
            if n == 1:
                first[id(section)] = page_no
        for i, (_, _, section) in enumerate(entries):
            pages[i] = first[id(section)]

    return write_pdf(
        out,
        [toc, *body],
        f"{record.subject_key} — 病例报告表汇编 Casebook",
        f"Casebook {record.subject_key}",
        created,
        before_draw=number_entries,
    )


def _repeat_num(key: str) -> float:
    try:
        return float(key)
    except ValueError:
        return 0.0


def _toc_section(
    study: StudyDefinition,
    record: SubjectRecord,
    site: Site,
    created: datetime,
    entries: Sequence[tuple[str, int, Section]],
    pages: dict[int, int],
    qr: bool,
) -> Section:
    info = PageInfo(
        protocol=_protocol(study),
        site=site.printed,
        subject=record.subject_key,
        visit="全部访视 All visits",
        form_title="目录 Contents — 病例报告表汇编 Casebook",
        form_version=study.mdv_oid,
        locator=CrfLocator(
            study.study_oid, site.code, record.subject_key, "CASEBOOK", "", "TOC", study.mdv_oid, 1
        )
        if qr
        else None,
        created=created,
    )
    blocks: list[Block] = []
    for i, (title, level, _) in enumerate(entries):
        size = 9.5 if level == 0 else 8.5

        def draw(
            c: Canvas,
            x: float,
            y: float,
            i: int = i,
            title: str = title,
            level: int = level,
            size: float = size,
        ) -> None:
            indent = 0 if level == 0 else 18
            text(c, x + indent, y - size - 3, title, size, bold=level == 0)
            page = str(pages.get(i, ""))
            text(c, x + BODY_W, y - size - 3, page, size, anchor="right")
            start = x + indent + text_width(title, size) + 6
            end = x + BODY_W - text_width(page, size) - 6
            c.setFillColorRGB(*GREY)
            dots = int(max(0, end - start) // 4)
            text(c, start, y - size - 3, "." * dots, size * 0.8, GREY)

        blocks.append(Block(size + 8 if level == 0 else size + 5, draw))
    if not entries:
        blocks.append(
            Block(
                20, lambda c, x, y: text(c, x, y - 12, "— 无已录入表单 No forms entered", 9, GREY)
            )
        )
    return Section(info, blocks, (("目录 Contents", 0),))


def render_recovery_sheet(code: str, db_id: str, site_name: str, when: datetime, out: Out) -> int:
    """The paper copy of the database recovery code, printed once at site setup."""
    handling = [
        "此代码可在没有本机密钥库时解锁加密数据库。请将本页密封于信封中，保存在上锁的柜子里，与工作站分开存放。",
        "This code unlocks the encrypted database when the workstation's keyring is lost. Seal this sheet in an "
        "envelope and keep it in a locked cabinet, away from the workstation.",
        "不要拍照、扫描、复印或以电子方式保存此代码。仅由研究者或管理员在恢复时使用。",
        "Do not photograph, scan, copy or store the code electronically. Only the investigator or the administrator "
        "uses it, for recovery.",
        "如此页丢失或泄露，请立即在 SeqTx 中更换恢复代码并销毁旧页。",
        "If this sheet is lost or exposed, generate a new recovery code in SeqTx at once and destroy the old sheet.",
    ]
    groups = code.strip()
    info = PageInfo(
        protocol="NCT03835312",
        site=site_name,
        subject="—",
        visit="—",
        form_title="数据库恢复代码 Database recovery sheet",
        form_version="—",
        locator=None,
        created=when,
    )

    def draw(c: Canvas, x: float, y: float) -> None:
        yy = y - 20
        for label, value in (
            ("中心 Site", site_name),
            ("数据库标识 Database ID", db_id),
            ("日期 Date", when.strftime("%d/%m/%Y %H:%M")),
        ):
            text(c, x, yy, label, 10, GREY)
            text(c, x + 150, yy, value, 11)
            yy -= 20
        yy -= 14
        text(c, x, yy, "恢复代码 Recovery code", 11, bold=True)
        yy -= 16
        lines = wrap(groups, 20, BODY_W - 30)
        box_h = 30 * len(lines) + 18
        c.setStrokeColorRGB(0, 0, 0)
        c.setLineWidth(1.2)
        c.rect(x, yy - box_h, BODY_W, box_h, stroke=1, fill=0)
        for i, ln in enumerate(lines):
            text(c, x + 15, yy - 30 - 30 * i, ln, 20, bold=True)
        yy -= box_h + 26
        text(c, x, yy, "保管说明 Handling instructions", 11, bold=True, color=RED)
        yy -= 8
        for para in handling:
            for ln in wrap(para, 9.5, BODY_W):
                yy -= 14
                text(c, x, yy, ln, 9.5)
            yy -= 4

    section = Section(info, [Block(600, draw)], (("Recovery sheet", 0),))
    return write_pdf(
        out, [section], "数据库恢复代码 Database recovery sheet", "Recovery sheet", when
    )

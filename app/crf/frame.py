"""Page geometry, blocks, pagination and the page frame (header, footer, QR code) of every CRF page.

A document is laid out before anything is drawn: sections (one form of one visit, an appendix, a
table of contents) are lists of blocks of known height, packed onto A4 pages; only then are the pages
drawn, so "Page x of y" and the table of contents are exact in one drawing pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.crf.fonts import FONT, register_fonts, runs, text_width
from app.crf.locator import CrfLocator
from app.crf.qr import draw_qr

PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
HEADER_TOP = PAGE_H - 10 * mm
QR_SIZE = 24 * mm
BODY_TOP = PAGE_H - 46 * mm
BODY_BOTTOM = 18 * mm
BODY_H = BODY_TOP - BODY_BOTTOM

BLACK = (0.0, 0.0, 0.0)
GREY = (0.38, 0.38, 0.38)
LIGHT = (0.9, 0.9, 0.9)
RED = (0.75, 0.05, 0.05)
BLUE = (0.05, 0.2, 0.6)

Draw = Callable[[Canvas, float, float], None]  # (canvas, x of the left edge, y of the top edge)


@dataclass
class Block:
    """A horizontal slice of a page body; `header` is redrawn on top of a continuation page."""

    height: float
    draw: Draw
    keep_with_next: bool = False
    header: Block | None = None


@dataclass(frozen=True)
class PageInfo:
    """What the header of every page of a section says."""

    protocol: str  # e.g. "NCT03835312 · SeqTranUCBC&IC-001"
    site: str  # printed site name (and code)
    subject: str  # subject key; "" on a blank form
    visit: str  # printed visit label; "" when the form is not tied to a visit
    form_title: str
    form_version: str
    locator: CrfLocator | None  # QR content of the section's first page; None: no QR code
    created: datetime


@dataclass
class Section:
    info: PageInfo
    blocks: list[Block]
    bookmarks: tuple[tuple[str, int], ...] = ()  # (title, outline level) at its first page
    pages: list[list[Block]] = field(default_factory=list)


def text(
    canvas: Canvas,
    x: float,
    y: float,
    value: str,
    size: float,
    color: tuple[float, float, float] = BLACK,
    bold: bool = False,
    anchor: str = "left",
) -> None:
    """Draw one line; `bold` strokes the outline too (the font has no bold face)."""
    canvas.setFont(FONT, size)
    canvas.setFillColorRGB(*color)
    if anchor != "left":
        width = text_width(value, size)
        x -= width if anchor == "right" else width / 2
    if bold:
        canvas.setStrokeColorRGB(*color)
        canvas.setLineWidth(size * 0.035)
    parts = runs(value)
    for name, part in parts:
        if len(parts) > 1:
            canvas.setFont(name, size)
        canvas.drawString(x, y, part, mode=2 if bold else None)
        if len(parts) > 1:
            x += text_width(part, size)


def paginate(section: Section) -> list[list[Block]]:
    pages: list[list[Block]] = [[]]
    used = 0.0
    blocks = section.blocks
    for index, block in enumerate(blocks):
        chain = block.height
        j = index
        while blocks[j].keep_with_next and j + 1 < len(blocks):
            j += 1
            chain += blocks[j].height
        if pages[-1] and used + min(chain, BODY_H) > BODY_H:
            pages.append([])
            used = 0.0
            if block.header is not None:
                pages[-1].append(block.header)
                used = block.header.height
        pages[-1].append(block)
        used += block.height
    section.pages = pages
    return pages


def _draw_header(canvas: Canvas, info: PageInfo, page_in_section: int) -> None:
    x = MARGIN_X
    right = PAGE_W - MARGIN_X - QR_SIZE - 4 * mm
    y = HEADER_TOP - 3
    text(canvas, x, y, f"方案 Protocol: {info.protocol}", 8.5, GREY)
    y -= 12.5
    text(canvas, x, y, f"中心 Site: {info.site}", 8.5, GREY)
    y -= 15
    subject = info.subject
    text(canvas, x, y, "受试者编号 Subject ID:", 9.5)
    sx = x + text_width("受试者编号 Subject ID:", 9.5) + 5
    if subject:
        text(canvas, sx, y, subject, 11, bold=True)
    else:
        box_row(canvas, sx, y - 4, 8, 12, 15)
    y -= 18
    visit_label = "访视 Visit:"
    text(canvas, x, y, visit_label, 9.5)
    vx = x + text_width(visit_label, 9.5) + 5
    if info.visit:
        text(canvas, vx, y, fit_line(info.visit, 10, right - vx), 10, bold=True)
    else:
        canvas.setLineWidth(0.6)
        canvas.setStrokeColorRGB(*BLACK)
        canvas.line(vx, y - 2, right, y - 2)
    y -= 21
    version = f"版本 Version {info.form_version}"
    title_w = right - x - text_width(version, 8.5) - 12
    text(canvas, x, y, fit_line(info.form_title, 12.5, title_w), 12.5, bold=True)
    text(canvas, right, y, version, 8.5, GREY, anchor="right")
    if info.locator is not None:
        locator = CrfLocator(**{**info.locator.__dict__, "page": page_in_section})
        draw_qr(
            canvas,
            locator.payload(),
            PAGE_W - MARGIN_X - QR_SIZE,
            HEADER_TOP - QR_SIZE + 4,
            QR_SIZE,
        )
    canvas.setStrokeColorRGB(*BLACK)
    canvas.setLineWidth(1.0)
    line_y = BODY_TOP + 6
    canvas.line(MARGIN_X, line_y, PAGE_W - MARGIN_X, line_y)


def _draw_footer(canvas: Canvas, info: PageInfo, page_no: int, total: int) -> None:
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, BODY_BOTTOM - 4, PAGE_W - MARGIN_X, BODY_BOTTOM - 4)
    y = BODY_BOTTOM - 16
    text(
        canvas,
        PAGE_W / 2,
        y,
        f"第 {page_no} 页 / 共 {total} 页 (Page {page_no} of {total})",
        9,
        anchor="center",
    )
    text(canvas, MARGIN_X, y, "SeqTx", 7.5, GREY)
    stamp = info.created.strftime("%d/%m/%Y %H:%M")
    kind = "打印 Printed" if info.subject else "空白表 Blank form"
    text(canvas, PAGE_W - MARGIN_X, y, f"{kind} {stamp}", 7.5, GREY, anchor="right")


def box_row(canvas: Canvas, x: float, y: float, count: int, width: float, height: float) -> float:
    """`count` adjoining write-in boxes with the lower-left corner at (x, y); returns the right edge."""
    canvas.setStrokeColorRGB(*BLACK)
    canvas.setLineWidth(0.7)
    canvas.rect(x, y, count * width, height, stroke=1, fill=0)
    canvas.setLineWidth(0.4)
    for i in range(1, count):
        canvas.line(x + i * width, y, x + i * width, y + height * 0.45)
    return x + count * width


def fit_line(value: str, size: float, width: float) -> str:
    """Shorten one line with an ellipsis so that it fits `width`."""
    if text_width(value, size) <= width:
        return value
    while value and text_width(value + "…", size) > width:
        value = value[:-1]
    return value + "…"


def write_pdf(
    out: str | os.PathLike[str] | BinaryIO,
    sections: Sequence[Section],
    title: str,
    subject: str,
    created: datetime,
    before_draw: Callable[[list[tuple[Section, int]]], None] | None = None,
) -> int:
    """Paginate, then draw every page with header, footer and QR code; returns the page count.

    `before_draw` sees the page map (section, page within section) of the whole document, e.g. to
    fill in a table of contents whose entries' height is already fixed.
    """
    register_fonts()
    target = os.fspath(out) if isinstance(out, os.PathLike) else out
    page_map: list[tuple[Section, int]] = []
    for section in sections:
        for n, _ in enumerate(paginate(section), start=1):
            page_map.append((section, n))
    if before_draw is not None:
        before_draw(page_map)
    canvas = Canvas(
        target, pagesize=A4, invariant=1, lang="zh-CN", pageCompression=1, initialFontName=FONT
    )
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setAuthor("SeqTx")
    canvas.setCreator("SeqTx")
    canvas.setKeywords("NCT03835312 CRF")
    stamp = created.strftime("D:%Y%m%d%H%M%S")
    offset = created.utcoffset()
    if offset is None or not offset:
        stamp += "Z"
    else:
        minutes = int(offset.total_seconds() // 60)
        stamp += f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    canvas.setDateFormatter(lambda *_: stamp)
    total = len(page_map)
    for page_no, (section, n) in enumerate(page_map, start=1):
        if n == 1:
            # one destination per entry: ReportLab identifies outline entries by their key
            for i, (title_text, level) in enumerate(section.bookmarks):
                key = f"p{page_no}.{i}"
                canvas.bookmarkPage(key)
                canvas.addOutlineEntry(title_text, key, level=level, closed=level == 0)
        _draw_header(canvas, section.info, n)
        _draw_footer(canvas, section.info, page_no, total)
        y = BODY_TOP
        for block in section.pages[n - 1]:
            block.draw(canvas, MARGIN_X, y)
            y -= block.height
        canvas.showPage()
    canvas.save()
    return total

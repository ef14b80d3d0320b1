"""The body of one form as blocks: title, item groups (rows or tables), queries, signatures.

`values` None gives the blank form to write on; a FormValues gives the filled form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from reportlab.pdfgen.canvas import Canvas

from app.crf import fields
from app.crf.fields import BOX_W, bilingual, format_value, unit_text
from app.crf.fonts import text_width, wrap
from app.crf.frame import (
    BLACK,
    BLUE,
    BODY_W,
    GREY,
    LIGHT,
    RED,
    Block,
    Draw,
    box_row,
    text,
)
from app.crf.values import FormValues, ItemKey, ItemValue, SignatureInfo
from app.study.model import CodeList, Form, Item, ItemGroup

LABEL_W = 175.0
RESP_X = 182.0
ND_X = BODY_W - 112.0
RESP_W = ND_X - RESP_X - 8
ZH = 9.5
EN = 7.8
PAD = 5.0

Codelists = dict[str, CodeList]


def form_blocks(
    form: Form, codelists: Mapping[str, CodeList], values: FormValues | None
) -> list[Block]:
    cls = dict(codelists)
    blocks = [_intro(values is None)]
    query_marks = _query_marks(values)
    for group in form.groups:
        if group.repeating:
            blocks.extend(_table(group, cls, values, query_marks))
        else:
            blocks.append(_group_heading(group))
            blocks[-1].keep_with_next = True
            for item in group.items:
                blocks.append(_item_row(group, item, cls, values, query_marks))
    if values is not None and values.queries:
        blocks.extend(_queries(form, values))
    blocks.append(_signatures(form, values))
    return blocks


def _intro(blank: bool) -> Block:
    if blank:
        line = (
            "请用黑色钢笔正楷填写；日期格式 日/月/年；未做的项目勾选“未做”并注明原因。  "
            "Use black ink; dates DD/MM/YYYY; tick “Not done” and give the reason for any item not done."
        )
    else:
        line = (
            "数据库中保存的数值（含单位）；† 已更正（见稽查轨迹附录），ƒ 系统推导（规则@版本），Q 未关闭质疑。  "
            "Values as stored, with units; † corrected (see audit appendix), ƒ derived (rule@version), Q open query."
        )
    lines = wrap(line, 7.5, BODY_W)

    def draw(c: Canvas, x: float, y: float) -> None:
        for i, ln in enumerate(lines):
            text(c, x, y - 9 - i * 9.5, ln, 7.5, GREY)

    return Block(9.5 * len(lines) + 6, draw)


def _group_heading(group: ItemGroup) -> Block:
    title = bilingual(group.label)

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setFillColorRGB(*LIGHT)
        c.rect(x, y - 17, BODY_W, 15, stroke=0, fill=1)
        text(c, x + 4, y - 13, title, 9.5, bold=True)
        if group.repeating is False:
            text(c, x + ND_X, y - 13, "未做 Not done / 原因 Reason", 7, GREY)

    return Block(21, draw)


def _label_lines(item: Item, width: float) -> tuple[list[str], list[str]]:
    zh = wrap(item.label.zh, ZH, width)
    en = wrap(item.label.en, EN, width) if item.label.en != item.label.zh else []
    return zh, en


def _draw_label(
    c: Canvas, x: float, y: float, zh: list[str], en: list[str], required: bool
) -> None:
    for i, ln in enumerate(zh):
        text(c, x, y - ZH - 1 - i * (ZH + 2.5), ln, ZH)
    if required and zh:
        text(c, x - 6, y - ZH - 1, "*", ZH, RED)
    top = y - len(zh) * (ZH + 2.5)
    for i, ln in enumerate(en):
        text(c, x, top - EN - 1 - i * (EN + 2), ln, EN, GREY)


def _label_height(zh: list[str], en: list[str]) -> float:
    return len(zh) * (ZH + 2.5) + len(en) * (EN + 2) + 2


def _query_marks(values: FormValues | None) -> dict[ItemKey, list[str]]:
    marks: dict[ItemKey, list[str]] = {}
    if values is not None:
        for n, q in enumerate(values.queries, start=1):
            marks.setdefault(q.key, []).append(f"Q{n}")
    return marks


def _item_row(
    group: ItemGroup,
    item: Item,
    cls: Codelists,
    values: FormValues | None,
    query_marks: dict[ItemKey, list[str]],
) -> Block:
    zh, en = _label_lines(item, LABEL_W)
    label_h = _label_height(zh, en)
    unit = unit_text(item.unit)
    if values is None:
        resp_h, draw_resp = _blank_response(item, cls, unit)
        nd_h = 24.0

        def draw_nd(c: Canvas, x: float, y: float) -> None:
            c.setStrokeColorRGB(*BLACK)
            c.setLineWidth(0.7)
            c.rect(x, y - 9, 8, 8, stroke=1, fill=0)
            text(c, x + 11, y - 8, "未做 Not done", 7.5)
            text(c, x, y - 21, "原因", 7, GREY)
            c.setLineWidth(0.4)
            c.line(x + 16, y - 22, x + 110, y - 22)

    else:
        key = (group.oid, "1", item.oid)
        stored = values.items.get(key)
        resp_h, draw_resp = _filled_response(item, cls, stored, query_marks.get(key, []))
        nd_lines = _nd_lines(stored)
        nd_h = 10.0 * len(nd_lines)

        def draw_nd(c: Canvas, x: float, y: float) -> None:
            for i, ln in enumerate(nd_lines):
                text(c, x, y - 9 - i * 10, ln, 7.5, RED if i == 0 else GREY)

    height = max(label_h, resp_h, nd_h) + 2 * PAD

    def draw(c: Canvas, x: float, y: float) -> None:
        _draw_label(c, x + 6, y - PAD, zh, en, item.required)
        draw_resp(c, x + RESP_X, y - PAD)
        draw_nd(c, x + ND_X, y - PAD)
        c.setStrokeColorRGB(*LIGHT)
        c.setLineWidth(0.5)
        c.line(x, y - height, x + BODY_W, y - height)

    return Block(height, draw)


def _blank_response(item: Item, cls: Codelists, unit: str) -> tuple[float, Draw]:
    options = fields.choice_options(item, cls)
    if item.data_type in ("choice", "boolean") and options:
        lines = fields.layout_options(options, RESP_W)

        def draw_choice(c: Canvas, x: float, y: float) -> None:
            fields.draw_options(c, lines, x, y)

        return fields.OPTION_LINE * len(lines), draw_choice
    unit_w = text_width(unit, 8.5) + 6 if unit else 0.0
    natural = fields.blank_width(item)
    width = natural if natural else RESP_W - unit_w
    width = min(width, RESP_W - unit_w)

    def draw_boxes(c: Canvas, x: float, y: float) -> None:
        fields.draw_boxes(c, item, x, y, width)
        if unit:
            text(c, x + width + 5, y - fields.BOX_H + 4, unit, 8.5)

    return fields.blank_height(item), draw_boxes


def _value_lines(
    item: Item, cls: Codelists, stored: ItemValue | None, marks: list[str]
) -> list[tuple[str, float, tuple[float, float, float]]]:
    """The lines describing a stored value: value + unit, derivation, correction, queries."""
    lines: list[tuple[str, float, tuple[float, float, float]]] = []
    if stored is None or (stored.value is None and stored.null_flavor is None):
        lines.append(("—", 10, GREY))
    elif stored.value is not None:
        shown = format_value(item, stored.value, cls)
        unit = unit_text(stored.unit or item.unit)
        flag = " †" if stored.corrected else ""
        lines.append((f"{shown} {unit}".rstrip() + flag, 10, BLUE))
    if stored is not None and stored.derived_by:
        lines.append((f"ƒ 推导 Derived: {stored.derived_by}", 7, GREY))
    if stored is not None and stored.corrected:
        lines.append(("† 已更正 Corrected — 见附录 see audit appendix", 7, RED))
    if marks:
        lines.append((f"{' '.join(marks)} 未关闭质疑 Open query", 7, RED))
    return lines


def _filled_response(
    item: Item, cls: Codelists, stored: ItemValue | None, marks: list[str]
) -> tuple[float, Draw]:
    raw = _value_lines(item, cls, stored, marks)
    lines: list[tuple[str, float, tuple[float, float, float]]] = []
    for value, size, color in raw:
        lines.extend(
            (ln, size, color) for ln in wrap(value, size, RESP_W + 100 if size < 8 else RESP_W)
        )
    height = sum(size + 3.5 for _, size, _ in lines)

    def draw(c: Canvas, x: float, y: float) -> None:
        yy = y
        for value, size, color in lines:
            yy -= size + 3.5
            text(c, x, yy + 2.5, value, size, color)

    return height, draw


def _nd_lines(stored: ItemValue | None) -> list[str]:
    if stored is None or stored.null_flavor is None:
        return []
    return ["未做 Not done", fields.null_flavor_text(stored.null_flavor)]


# -- repeating groups -------------------------------------------------------------------------

ROW_NO_W = 22.0
HEAD_ZH = 8.0
HEAD_EN = 6.8


MIN_COL = 44.0


def _natural_width(item: Item, cls: Codelists) -> float:
    """The width a column needs to show its write-in boxes or tick boxes comfortably."""
    options = fields.choice_options(item, cls)
    if options:
        return min(max(text_width(o, 7) for o in options) + 18, 150.0)
    natural = fields.blank_width(item)
    if natural:
        return natural + 8
    if item.data_type == "text":
        return min(150.0, max(70.0, (item.length or 20) * 3.0))
    return 60.0


def _filled_width(item: Item) -> float:
    """A filled cell holds a short value that may wrap: far narrower than write-in boxes."""
    if item.data_type in ("choice", "text"):
        return 80.0
    if item.data_type in ("date", "datetime"):
        return 70.0
    return 50.0


def _bands(
    group: ItemGroup, cls: Codelists, filled: bool = False
) -> list[tuple[ItemGroup, list[float]]]:
    """Split a wide repeating group into column bands that fit the page, each a full table.

    A table wider than the page keeps every column legible by printing the remaining columns in a
    second table below with the same row numbers, instead of squeezing boxes out of their cells.
    """
    avail = BODY_W - ROW_NO_W
    natural = _filled_width if filled else (lambda i: _natural_width(i, cls))
    wants = [max(natural(i), MIN_COL) for i in group.items]
    if filled and sum(wants) <= avail * 1.25:  # values wrap: a little narrower beats a 2nd band
        return [(group, [w * avail / sum(wants) for w in wants])]
    bands: list[list[int]] = [[]]
    used = 0.0
    for index, want in enumerate(wants):
        if bands[-1] and used + want > avail:
            bands.append([])
            used = 0.0
        bands[-1].append(index)
        used += min(want, avail)
    out: list[tuple[ItemGroup, list[float]]] = []
    for band in bands:
        widths = [min(wants[i], avail) for i in band]
        extra = (avail - sum(widths)) / len(widths)
        items = tuple(group.items[i] for i in band)
        out.append((replace(group, items=items), [w + extra for w in widths]))
    return out


def _table(
    group: ItemGroup,
    cls: Codelists,
    values: FormValues | None,
    query_marks: dict[ItemKey, list[str]],
) -> list[Block]:
    bands = _bands(group, cls, filled=values is not None)
    title = _group_heading(group)
    title.keep_with_next = True
    blocks = [title]
    for number, (band, widths) in enumerate(bands, start=1):
        if len(bands) > 1 and number > 1:
            note = _note_row(
                f"续 {bilingual(group.label)} (continued, columns {number}/{len(bands)})"
            )
            note.keep_with_next = True
            blocks.append(note)
        blocks.extend(_band_blocks(band, cls, values, query_marks, widths))
    if values is None:
        blocks.append(_group_not_done())
    return blocks


def _band_blocks(
    group: ItemGroup,
    cls: Codelists,
    values: FormValues | None,
    query_marks: dict[ItemKey, list[str]],
    widths: list[float],
) -> list[Block]:
    heads: list[list[tuple[str, float, tuple[float, float, float]]]] = []
    for item, w in zip(group.items, widths, strict=True):
        cell = [(ln, HEAD_ZH, BLACK) for ln in wrap(item.label.zh, HEAD_ZH, w - 6)]
        if item.label.en != item.label.zh:
            cell += [(ln, HEAD_EN, GREY) for ln in wrap(item.label.en, HEAD_EN, w - 6)]
        unit = unit_text(item.unit)
        if unit:
            cell += [(ln, HEAD_EN, GREY) for ln in wrap(f"({unit})", HEAD_EN, w - 6)]
        heads.append(cell)
    head_h = max(sum(s + 2 for _, s, _ in cell) for cell in heads) + 6

    def draw_head(c: Canvas, x: float, y: float) -> None:
        c.setFillColorRGB(0.96, 0.96, 0.96)
        c.rect(x, y - head_h, BODY_W, head_h, stroke=0, fill=1)
        text(c, x + 3, y - 10, "#", 8, GREY)
        cx = x + ROW_NO_W
        for cell, w in zip(heads, widths, strict=True):
            yy = y - 2
            for ln, size, color in cell:
                yy -= size + 2
                text(c, cx + 3, yy, ln, size, color)
            cx += w
        _grid(c, x, y, head_h, widths)

    head = Block(head_h, draw_head, keep_with_next=True)
    blocks = [head]
    if values is None:
        for n in range(1, max(1, group.rows) + 1):
            blocks.append(_blank_table_row(group, cls, widths, n, head))
    else:
        repeats = values.group_repeats(group.oid) or []
        if not repeats:
            blocks.append(_note_row("— 无记录 No rows recorded"))
        for key in repeats:
            blocks.append(_filled_table_row(group, cls, widths, key, values, query_marks, head))
    return blocks


def _grid(c: Canvas, x: float, y: float, height: float, widths: list[float]) -> None:
    c.setStrokeColorRGB(*BLACK)
    c.setLineWidth(0.5)
    c.rect(x, y - height, BODY_W, height, stroke=1, fill=0)
    cx = x + ROW_NO_W
    for w in widths[:-1]:
        c.line(cx, y, cx, y - height)
        cx += w
    c.line(cx, y, cx, y - height)


def _blank_table_row(
    group: ItemGroup, cls: Codelists, widths: list[float], n: int, head: Block
) -> Block:
    cells: list[tuple[float, Draw]] = []
    for item, w in zip(group.items, widths, strict=True):
        cells.append(_blank_cell(item, cls, w - 6))
    height = max(h for h, _ in cells) + 8

    def draw(c: Canvas, x: float, y: float) -> None:
        text(c, x + 4, y - 12, str(n), 8, GREY)
        cx = x + ROW_NO_W
        for (_, draw_cell), w in zip(cells, widths, strict=True):
            draw_cell(c, cx + 3, y - 4)
            cx += w
        _grid(c, x, y, height, widths)

    return Block(height, draw, header=head)


def _blank_cell(item: Item, cls: Codelists, width: float) -> tuple[float, Draw]:
    options = fields.choice_options(item, cls)
    if options:
        placed: list[tuple[float, str, bool]] = []  # (line offset, text, has a tick box)
        for option in options:
            for i, ln in enumerate(wrap(option, 7, width - 10)):
                placed.append((len(placed) * 9.5, ln, i == 0))

        def draw_opts(c: Canvas, x: float, y: float) -> None:
            c.setStrokeColorRGB(*BLACK)
            c.setLineWidth(0.6)
            for dy, label, tick in placed:
                if tick:
                    c.rect(x, y - 9 - dy, 7, 7, stroke=1, fill=0)
                text(c, x + 10, y - 8 - dy, label, 7)

        return 9.5 * len(placed) + 2, draw_opts
    natural = fields.blank_width(item)
    if natural and natural <= width:

        def draw_fit(c: Canvas, x: float, y: float) -> None:
            fields.draw_boxes(c, item, x, y, width)

        return fields.blank_height(item), draw_fit

    def draw_free(c: Canvas, x: float, y: float) -> None:
        # too narrow for boxes: an open cell; dates keep their DD/MM/YYYY guide
        guide = {"date": "__/__/____", "datetime": "__/__/____ __:__", "time": "__:__"}
        if item.data_type in guide:
            text(c, x, y - 16, guide[item.data_type], 8, GREY)

    return 18.0, draw_free


def _group_not_done() -> Block:
    def draw(c: Canvas, x: float, y: float) -> None:
        c.setStrokeColorRGB(*BLACK)
        c.setLineWidth(0.7)
        c.rect(x + 2, y - 14, 8, 8, stroke=1, fill=0)
        text(c, x + 14, y - 13, "本表未做 Not done", 7.5)
        text(c, x + 100, y - 13, "原因 Reason:", 7.5, GREY)
        c.setLineWidth(0.4)
        c.line(x + 146, y - 14, x + BODY_W, y - 14)

    return Block(22, draw)


def _note_row(note: str) -> Block:
    def draw(c: Canvas, x: float, y: float) -> None:
        text(c, x + 4, y - 12, note, 8, GREY)

    return Block(18, draw)


def _filled_table_row(
    group: ItemGroup,
    cls: Codelists,
    widths: list[float],
    repeat: str,
    values: FormValues,
    query_marks: dict[ItemKey, list[str]],
    head: Block,
) -> Block:
    cells: list[list[tuple[str, float, tuple[float, float, float]]]] = []
    for item, w in zip(group.items, widths, strict=True):
        key = (group.oid, repeat, item.oid)
        stored = values.items.get(key)
        # in a cell the † and Q marks stand alone; the legend above the form explains them
        raw = [ln for ln in _value_lines(item, cls, stored, []) if not ln[0].startswith("†")]
        raw += [(m, 7, RED) for m in query_marks.get(key, [])]
        if stored is not None and stored.null_flavor:
            raw.append((f"未做 ND: {stored.null_flavor}", 7, RED))
        cell: list[tuple[str, float, tuple[float, float, float]]] = []
        for value, size, color in raw:
            size = min(size, 8.5)
            cell.extend((ln, size, color) for ln in wrap(value, size, w - 6))
        cells.append(cell)
    height = max(sum(s + 3 for _, s, _ in cell) for cell in cells) + 6

    def draw(c: Canvas, x: float, y: float) -> None:
        text(c, x + 4, y - 11, repeat, 8, GREY)
        cx = x + ROW_NO_W
        for cell, w in zip(cells, widths, strict=True):
            yy = y - 3
            for ln, size, color in cell:
                yy -= size + 3
                text(c, cx + 3, yy + 1, ln, size, color)
            cx += w
        _grid(c, x, y, height, widths)

    return Block(height, draw, header=head)


# -- queries and signatures --------------------------------------------------------------------


def _queries(form: Form, values: FormValues) -> list[Block]:
    blocks = [_heading("未关闭质疑 Open queries", RED)]
    blocks[0].keep_with_next = True
    items = {i.oid: i for i in form.items()}
    for n, q in enumerate(values.queries, start=1):
        item = items.get(q.key[2])
        name = bilingual(item.label) if item else q.key[2]
        where = f"{name} ({q.key[0]}[{q.key[1]}])"
        raised = q.raised_at.strftime("%d/%m/%Y %H:%M UTC")
        lines = wrap(f"Q{n} {q.query_oid} · {where} · {raised}: {q.text}", 8, BODY_W - 10)

        def draw(c: Canvas, x: float, y: float, lines: list[str] = lines) -> None:
            for i, ln in enumerate(lines):
                text(c, x + 6, y - 10 - i * 10.5, ln, 8)

        blocks.append(Block(10.5 * len(lines) + 4, draw))
    return blocks


def _heading(title: str, color: tuple[float, float, float] = BLACK) -> Block:
    def draw(c: Canvas, x: float, y: float) -> None:
        text(c, x, y - 14, title, 9.5, color, bold=True)
        c.setStrokeColorRGB(*color)
        c.setLineWidth(0.6)
        c.line(x, y - 17, x + BODY_W, y - 17)

    return Block(24, draw)


def local_time(moment: datetime, offset_minutes: int) -> str:
    local = moment + timedelta(minutes=offset_minutes)
    sign = "+" if offset_minutes >= 0 else "-"
    off = f"UTC{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    return f"{local.strftime('%d/%m/%Y %H:%M')} ({off})"


_MEANINGS = {
    "reviewed": "已审阅 Reviewed",
    "approved": "已批准 Approved",
    "investigator_approval": "研究者批准 Approved as investigator",
    "recorded": "已记录 Recorded",
    "verified": "已核对 Verified",
}


def meaning_text(meaning: str) -> str:
    return _MEANINGS.get(meaning, meaning)


def _signatures(form: Form, values: FormValues | None) -> Block:
    if values is None:
        return _blank_signatures(form)
    sigs = values.signatures
    rows: list[tuple[SignatureInfo, list[str]]] = []
    for s in sigs:
        lines = [
            f"签名人 Signed by: {s.printed_name}",
            f"含义 Meaning: {meaning_text(s.meaning)}",
            f"时间 Date/time: {local_time(s.signed_at, s.utc_offset_minutes)}",
        ]
        if not s.valid:
            when = local_time(s.invalidated_at, s.utc_offset_minutes) if s.invalidated_at else ""
            lines.append(
                f"已失效 INVALIDATED {when} — 签名后数据已更改 data changed after signing".strip()
            )
        rows.append((s, lines))
    height = 24 + sum(12 * len(lines) + 8 for _, lines in rows) + (14 if not rows else 0)

    def draw(c: Canvas, x: float, y: float) -> None:
        text(c, x, y - 14, "电子签名 Electronic signatures", 9.5, bold=True)
        c.setStrokeColorRGB(*BLACK)
        c.setLineWidth(0.6)
        c.line(x, y - 17, x + BODY_W, y - 17)
        yy = y - 24
        if not rows:
            text(c, x + 6, yy - 9, "— 未签名 Not signed", 8.5, GREY)
        for sig, lines in rows:
            color = BLACK if sig.valid else RED
            for i, ln in enumerate(lines):
                text(c, x + 6, yy - 10 - 12 * i, ln, 8.5 if i < 3 else 9, color, bold=i == 3)
            if not sig.valid:
                c.setStrokeColorRGB(*RED)
                c.setLineWidth(0.8)
                for i in range(3):
                    ly = yy - 7 - 12 * i
                    c.line(x + 4, ly, x + 8 + text_width(lines[i], 8.5), ly)
            yy -= 12 * len(lines) + 8

    return Block(height, draw)


def _blank_signatures(form: Form) -> Block:
    roles = [("记录者 Recorded by", "签名 Signature")]
    if form.signature:
        roles.append((meaning_text(form.signature), "研究者签名 Investigator signature"))
    height = 26 + 46 * len(roles)

    def draw(c: Canvas, x: float, y: float) -> None:
        text(c, x, y - 14, "签名 Signatures", 9.5, bold=True)
        c.setStrokeColorRGB(*BLACK)
        c.setLineWidth(0.6)
        c.line(x, y - 17, x + BODY_W, y - 17)
        yy = y - 26
        for role, sign in roles:
            text(c, x + 6, yy - 10, role, 8.5)
            text(c, x + 6, yy - 32, f"{sign}:", 7.5, GREY)
            c.setLineWidth(0.5)
            c.line(x + 12 + text_width(f"{sign}:", 7.5), yy - 33, x + 215, yy - 33)
            text(c, x + 222, yy - 32, "姓名 Printed name:", 7.5, GREY)
            c.line(x + 290, yy - 33, x + 370, yy - 33)
            text(c, x + 376, yy - 32, "日期 Date:", 7.5, GREY)
            bx = x + 414
            for count in (2, 2, 4):
                bx = box_row(c, bx, yy - 37, count, BOX_W * 0.8, 13) + 3
            yy -= 46

    return Block(height, draw)

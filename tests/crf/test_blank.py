"""Blank CRFs: every item of every form printed in both languages, page numbers, font, QR code."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.crf.documents import render_blank_event, render_blank_form
from app.crf.fields import digits_of
from app.crf.locator import parse_qr_payload
from app.study.model import DataType, Item, Label, Range, StudyDefinition
from tests.crf.conftest import (
    CREATED,
    SITE,
    decode_qr,
    need,
    pdf_text,
    rasterise,
    shipped_study,
    squash,
)
from tests.crf.sample_study import sample_study


def _assert_form_printed(study: StudyDefinition, form_oid: str, pdf: Path) -> None:
    pages = pdf_text(pdf)
    text = squash("".join(pages))
    form = study.form(form_oid)
    for item in form.items():
        assert squash(item.label.zh) in text, f"{form_oid}: {item.oid} Chinese label missing"
        assert squash(item.label.en) in text, f"{form_oid}: {item.oid} English label missing"
    total = len(pages)
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页/共{total}页(Page{n}of{total})" in squash(page)
        assert "NCT03835312" in page


@pytest.mark.parametrize("form_oid", sorted(sample_study().forms))
def test_every_form_renders_with_both_languages(
    study: StudyDefinition, form_oid: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "blank.pdf"
    pages = render_blank_form(study, form_oid, pdf, created=CREATED, site=SITE)
    assert pages == len(PdfReader(pdf).pages) >= 1
    _assert_form_printed(study, form_oid, pdf)


def test_every_form_of_the_shipped_definition_renders(tmp_path: Path) -> None:
    study = shipped_study()
    for form_oid in study.forms:
        pdf = tmp_path / f"{form_oid}.pdf"
        render_blank_form(study, form_oid, pdf, created=CREATED, site=SITE)
        _assert_form_printed(study, form_oid, pdf)


def test_a_visit_prints_its_forms_in_order_with_bookmarks(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf = tmp_path / "visit.pdf"
    render_blank_event(study, "SE.FU03", pdf, created=CREATED, site=SITE)
    text = squash("".join(pdf_text(pdf)))
    assert text.index("随访Follow-upvisit") < text.index("合并用药Concomitantmedication")
    outline = PdfReader(pdf).outline
    assert outline[0].title == "第3月随访 Follow-up month 3"
    assert [o.title for o in outline[1]] == [
        "随访 Follow-up visit",
        "合并用药 Concomitant medication",
    ]


def test_pdf_metadata_names_the_form_and_the_fixed_date(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf = tmp_path / "inf.pdf"
    render_blank_form(study, "F.INF", pdf, created=CREATED, site=SITE, event_oid="SE.DAY0")
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "脐带血输注（第0天） Cord blood infusion (Day 0) — 空白 CRF blank"
    assert meta.subject == "F.INF"
    assert meta["/CreationDate"] == "D:20261124010000Z"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_same_input_gives_the_same_file(study: StudyDefinition, tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        render_blank_form(study, "F.CM", out, created=CREATED, site=SITE)
    assert a.read_bytes() == b.read_bytes()


def test_the_cjk_font_is_embedded_as_a_subset_and_nothing_else_is_needed(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf = tmp_path / "inf.pdf"
    render_blank_form(study, "F.INF", pdf, created=CREATED, site=SITE)
    out = subprocess.run(
        [need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows, "no fonts listed"
    assert any("WenQuanYiMicroHei" in row[0] for row in rows)
    for row in rows:  # the CJK font, and DejaVu Sans for the glyphs it lacks: all embedded
        assert "WenQuanYiMicroHei" in row[0] or "DejaVuSans" in row[0]
        emb, sub, uni = row[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_each_page_qr_code_decodes_to_its_page(study: StudyDefinition, tmp_path: Path) -> None:
    pdf = tmp_path / "inf.pdf"
    pages = render_blank_form(study, "F.INF", pdf, created=CREATED, site=SITE, event_oid="SE.DAY0")
    assert pages >= 2
    for page in (1, pages):
        codes = decode_qr(rasterise(pdf, page))
        assert codes == [f"SEQTX|NCT03835312|CHFU||SE.DAY0|F.INF|1.0|{page}"]
        loc = parse_qr_payload(codes[0])
        assert loc.is_blank and loc.form == "F.INF" and loc.page == page


def test_qr_codes_can_be_left_out(study: StudyDefinition, tmp_path: Path) -> None:
    pdf = tmp_path / "noqr.pdf"
    render_blank_form(study, "F.FU", pdf, created=CREATED, site=SITE, qr=False)
    assert decode_qr(rasterise(pdf, 1)) == []


def test_repeating_groups_get_their_rows_and_a_not_done_line(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf = tmp_path / "cm.pdf"
    render_blank_form(study, "F.CM", pdf, created=CREATED, site=SITE)
    text = squash("".join(pdf_text(pdf)))
    rows = study.form("F.CM").groups[0].rows
    assert f"{rows}" in text
    assert "本表未做Notdone" in text


def _item(data_type: DataType, **kw: Any) -> Item:
    return Item("IT.X", "X", data_type, Label("x", "x"), **kw)


@pytest.mark.parametrize(
    ("item", "sign", "whole", "decimals"),
    [
        (_item("integer", hard_range=Range(20, 250)), False, 3, 0),
        (_item("float", length=4, decimals=1), False, 3, 1),
        (_item("float", hard_range=Range(30, 43)), False, 2, 1),
        (_item("float", hard_range=Range(-5, 5), decimals=2), True, 1, 2),
        (_item("integer"), False, 4, 0),
    ],
)
def test_digit_boxes_follow_type_length_and_range(
    item: Item, sign: bool, whole: int, decimals: int
) -> None:
    d = digits_of(item)
    assert (d.sign, d.whole, d.decimals) == (sign, whole, decimals)

"""CRF rendering speed: a filled 6-page visit, a casebook to month 36, pages/s, and the QR codes' cost.

Memory is the tracemalloc peak of one render (Python allocations, including ReportLab's buffers).
The study definition and values are the CRF tests' sample (tests/crf/sample_study.py) so the figures
do not move when the shipped definition changes.
"""

from __future__ import annotations

import io
import resource
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from app.crf.documents import Site, render_casebook, render_filled_visit
from app.crf.fonts import register_fonts
from app.crf.qr import draw_qr
from app.crf.values import ItemValue, SubjectRecord, VisitValues
from app.study.errors import StudyDefinitionError
from app.study.loader import default_study
from app.study.model import StudyDefinition
from bench.report import Report, timed
from tests.crf.sample_study import infusion_values, sample_study, subject_record, synthetic_form

CREATED = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
SITE = Site("CHFU", "复旦大学附属儿科医院")
PAYLOAD = "SEQTX|NCT03835312|CHFU|FD-001|SE.POST[17]|F.CM|1.0|1"


def _visit_with_vitals(rows: int) -> VisitValues:
    """The infusion visit with `rows` vital-signs rows (a long infusion, every 15 minutes)."""
    form = infusion_values()
    items = dict(form.items)
    for n in range(9, rows + 1):
        rk = str(n)
        items[("IG.INFVS", rk, "IT.VS.TIME")] = ItemValue(f"{10 + n // 4:02d}:{(n % 4) * 15:02d}")
        items[("IG.INFVS", rk, "IT.VS.TEMP")] = ItemValue("36.9", "Cel")
        items[("IG.INFVS", rk, "IT.VS.HR")] = ItemValue("101", "/min")
        items[("IG.INFVS", rk, "IT.VS.SYS")] = ItemValue("104", "mm[Hg]")
        items[("IG.INFVS", rk, "IT.VS.DIA")] = ItemValue("66", "mm[Hg]")
        items[("IG.INFVS", rk, "IT.VS.SPO2")] = ItemValue("98", "%")
        items[("IG.INFVS", rk, "IT.VS.REACT")] = ItemValue("N")
    return VisitValues("SE.DAY0", "", None, (replace(form, items=items),))


def _six_page_visit(study: StudyDefinition) -> VisitValues:
    """The infusion visit grown until it prints on six pages (with its audit appendix)."""
    rows = 8
    while True:
        visit = _visit_with_vitals(rows)
        pages = render_filled_visit(study, "FD-001", visit, io.BytesIO(), created=CREATED)
        if pages >= 6:
            return visit
        rows += 5


def _peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def run(report: Report) -> None:
    register_fonts()  # once per process, ~70 ms: not part of a render
    study = sample_study()

    visit = _six_page_visit(study)
    pages = render_filled_visit(study, "FD-001", visit, io.BytesIO(), created=CREATED, site=SITE)

    def filled(qr: bool = True) -> None:
        render_filled_visit(study, "FD-001", visit, io.BytesIO(), created=CREATED, site=SITE, qr=qr)

    ms, spread, _ = timed(filled, runs=9)
    report.add(f"crf: filled visit CRF ({pages} pages)", ms, "ms", 300, spread=spread)
    report.add(f"crf: filled visit CRF ({pages} pages) peak memory", _peak_mb(filled), "MB")
    ms_noqr, _, _ = timed(lambda: filled(qr=False), runs=9)
    report.add(f"crf: filled visit CRF ({pages} pages) without QR", ms_noqr, "ms", baseline=ms)

    record = subject_record(months=36, post_days=100)
    book_pages = render_casebook(study, record, io.BytesIO(), created=CREATED, site=SITE)

    def casebook(qr: bool = True) -> None:
        render_casebook(study, record, io.BytesIO(), created=CREATED, site=SITE, qr=qr)

    ms_book, spread_book, _ = timed(casebook, runs=3)
    report.add(
        f"crf: casebook to month 36 ({book_pages} pages)",
        ms_book / 1000,
        "s",
        5,
        spread=spread_book / 1000,
    )
    report.add("crf: casebook to month 36 peak memory (tracemalloc)", _peak_mb(casebook), "MB", 150)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.add("crf: bench process peak RSS (interpreter, Qt-free)", rss, "MB", 150)
    report.add(
        "crf: casebook pages per second", book_pages / (ms_book / 1000), "pages/s", better="higher"
    )
    ms_book_noqr, _, _ = timed(lambda: casebook(qr=False), runs=3, warmup=0)
    report.add("crf: casebook without QR codes", ms_book_noqr / 1000, "s", baseline=ms_book / 1000)
    report.add(
        "crf: QR codes' share of casebook time",
        100 * (ms_book - ms_book_noqr) / ms_book,
        "%",
        note="segno, fixed mask, one literal fill per code",
    )

    # the two ways of drawing a QR code, per code
    def segno_qr() -> None:
        canvas = Canvas(io.BytesIO())
        for _ in range(50):
            draw_qr(canvas, PAYLOAD, 500, 760, 68)

    def reportlab_qr() -> None:
        canvas = Canvas(io.BytesIO())
        for _ in range(50):
            widget = QrCodeWidget(PAYLOAD, barLevel="M")
            x0, y0, x1, y1 = widget.getBounds()
            drawing = Drawing(68, 68, transform=[68 / (x1 - x0), 0, 0, 68 / (y1 - y0), 0, 0])
            drawing.add(widget)
            renderPDF.draw(drawing, canvas, 500, 760)

    ms_segno, _, _ = timed(segno_qr, runs=5)
    ms_rl, _, _ = timed(reportlab_qr, runs=5)
    report.add("crf: one QR code, segno vector path", ms_segno / 50, "ms")
    report.add("crf: one QR code, reportlab QrCodeWidget", ms_rl / 50, "ms", baseline=ms_segno / 50)
    run_shipped(report)


def _shipped_record(study: StudyDefinition, post_days: int = 42) -> SubjectRecord:
    """A subject followed to month 36 under the shipped definition: every form of every visit."""
    plan: list[tuple[str, str]] = []
    for event in study.events:
        if event.repeat == "study_day":
            days = range(-9, 0) if event.oid == "SE.COND" else range(1, post_days + 1)
            plan += [(event.oid, str(d)) for d in days]
        elif event.repeat == "sequence":
            plan += [(event.oid, str(n)) for n in range(1, 4)]
        else:
            plan.append((event.oid, ""))
    visits = tuple(
        VisitValues(oid, key, None, tuple(synthetic_form(study, f) for f in study.event(oid).forms))
        for oid, key in plan
    )
    return SubjectRecord("FD-001", "CHFU", visits)


def run_shipped(report: Report) -> None:
    """The casebook of the shipped definition (every form of every visit filled: a worst case)."""
    try:
        study = default_study()
    except StudyDefinitionError as exc:
        print(f"crf: shipped definition does not load, skipped: {exc}")
        return
    record = _shipped_record(study)
    forms = sum(len(v.forms) for v in record.visits)
    pages = render_casebook(study, record, io.BytesIO(), created=CREATED, site=SITE)
    ms, spread, _ = timed(
        lambda: render_casebook(study, record, io.BytesIO(), created=CREATED, site=SITE),
        runs=1,
        warmup=0,
    )
    report.add(
        f"crf: casebook, shipped definition, every form ({forms} forms, {pages} pages)",
        ms / 1000,
        "s",
        5,
        spread=spread / 1000,
        note="conditioning days -9..-1, post days 1..42, 3 of each log, FU03..FU36",
    )
    peak = _peak_mb(
        lambda: render_casebook(study, record, io.BytesIO(), created=CREATED, site=SITE)
    )
    report.add("crf: casebook, shipped definition, peak memory (tracemalloc)", peak, "MB", 150)
    report.add(
        "crf: casebook, shipped definition, pages per second",
        pages / (ms / 1000),
        "pages/s",
        better="higher",
    )

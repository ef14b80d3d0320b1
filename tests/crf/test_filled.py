"""Filled CRFs and casebooks: stored values, corrections, derived results, queries, signatures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from app.crf.documents import render_casebook, render_filled_visit, render_recovery_sheet
from app.crf.values import SubjectRecord, VisitValues
from app.study.model import StudyDefinition
from tests.crf.conftest import CREATED, SITE, decode_qr, pdf_text, rasterise, shipped_study, squash
from tests.crf.sample_study import followup_values, infusion_values, subject_record, synthetic_form


def _infusion_pdf(study: StudyDefinition, tmp_path: Path) -> tuple[Path, list[str]]:
    pdf = tmp_path / "filled.pdf"
    visit = VisitValues("SE.DAY0", "", None, (infusion_values(),))
    render_filled_visit(study, "FD-001", visit, pdf, created=CREATED, site=SITE)
    return pdf, pdf_text(pdf)


def test_stored_values_print_with_units_and_derived_results_with_their_rule(
    study: StudyDefinition, tmp_path: Path
) -> None:
    _, pages = _infusion_pdf(study, tmp_path)
    text = squash("".join(pages))
    assert "20/11/2026" in text  # dates as DD/MM/YYYY
    assert "4.21×10^7/kg" in text
    assert "UCB=脐带血单位Umbilicalcordbloodunit" in text  # codes with their labels
    assert "2.35×10^5/kg" in text and "推导Derived:cell_dose@1.0" in text
    assert "未做Notdone未询问Notasked" in text  # the comment was not asked


def test_a_corrected_value_is_marked_and_its_history_is_in_the_appendix(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf, pages = _infusion_pdf(study, tmp_path)
    text = squash("".join(pages))
    assert "48.5mL†" in text
    assert "已更正Corrected" in text
    appendix = squash(pages[-1])
    assert "稽查轨迹附录Audithistory" in appendix
    assert "45.848.5transcriptionerror:baglabelreads48.5mL" in appendix
    assert "IG.INF[1]/IT.INF.VOLUME" in appendix
    outline = PdfReader(pdf).outline
    assert any("稽查轨迹附录" in o.title for o in outline[1])


def test_signature_manifestation_and_invalidated_signature(
    study: StudyDefinition, tmp_path: Path
) -> None:
    _, pages = _infusion_pdf(study, tmp_path)
    text = squash("".join(pages))
    first = text.index("签名人Signedby:DrZhangMin")
    second = text.index("签名人Signedby:DrZhangMin", first + 1)
    invalid_block, valid_block = text[first:second], text[second:]
    assert "已失效INVALIDATED20/11/202613:40(UTC+08:00)" in invalid_block
    assert "INVALIDATED" not in valid_block
    assert "含义Meaning:研究者批准Approvedasinvestigator" in valid_block
    assert "时间Date/time:20/11/202615:40(UTC+08:00)" in valid_block


def test_open_queries_are_listed_and_marked_at_the_item(
    study: StudyDefinition, tmp_path: Path
) -> None:
    _, pages = _infusion_pdf(study, tmp_path)
    text = squash("".join(pages))
    assert "未关闭质疑Openqueries" in text
    assert "Q1Q-0001·输注总有核细胞数Totalnucleatedcellsinfused" in text
    assert "Q1未关闭质疑Openquery" in text


def test_filled_page_qr_names_the_subject(study: StudyDefinition, tmp_path: Path) -> None:
    pdf, _ = _infusion_pdf(study, tmp_path)
    assert decode_qr(rasterise(pdf, 2)) == ["SEQTX|NCT03835312|CHFU|FD-001|SE.DAY0|F.INF|1.0|2"]


def test_header_shows_the_subject_id_and_never_a_name(
    study: StudyDefinition, tmp_path: Path
) -> None:
    _, pages = _infusion_pdf(study, tmp_path)
    for page in pages:
        assert "受试者编号Subject ID:FD-001".replace(" ", "") in squash(page)


def test_a_form_never_entered_prints_dashes_in_a_visit(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf = tmp_path / "fu.pdf"
    fu, _ = followup_values(3)
    render_filled_visit(
        study, "FD-001", VisitValues("SE.FU03", "", None, (fu,)), pdf, created=CREATED, site=SITE
    )
    text = squash("".join(pdf_text(pdf)))
    assert "合并用药Concomitantmedication" in text
    assert "—无记录Norowsrecorded" in text
    assert "—未签名Notsigned" in text


def test_casebook_lists_visits_in_order_with_exact_page_numbers(
    study: StudyDefinition, tmp_path: Path
) -> None:
    pdf = tmp_path / "casebook.pdf"
    record = subject_record(months=12, post_days=3)
    shuffled = replace(record, visits=tuple(reversed(record.visits)))
    total = render_casebook(study, shuffled, pdf, created=CREATED, site=SITE)
    pages = pdf_text(pdf)
    assert total == len(pages)
    toc = squash(pages[0])
    order = [
        toc.index(t) for t in ("第0天", "第+1天Day+1", "第+3天Day+3", "第3月随访", "第12月随访")
    ]
    assert order == sorted(order)
    reader = PdfReader(pdf)
    visits = [o for o in reader.outline if not isinstance(o, list)]
    assert [v.title for v in visits][:3] == [
        "目录 Contents",
        "第0天（脐血输注） Day 0 (cord blood infusion)",
        "移植后日 Post-transplant day · 第 +1 天 Day +1",
    ]
    # the contents page's number for month 12 is the page where month 12 starts
    month12 = next(v for v in visits if v.title.startswith("第12月随访"))
    page_index = reader.get_destination_page_number(month12)
    assert "第12月随访Follow-upmonth12" in squash(pages[page_index])
    assert toc.split("第12月随访Follow-upmonth12")[1].lstrip(".").startswith(str(page_index + 1))


def test_casebook_of_a_subject_without_data(study: StudyDefinition, tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    assert (
        render_casebook(study, SubjectRecord("FD-009", "CHFU"), pdf, created=CREATED, site=SITE)
        == 1
    )
    assert "无已录入表单Noformsentered" in squash(pdf_text(pdf)[0])


def test_recovery_sheet_has_code_database_id_date_and_instructions(tmp_path: Path) -> None:
    pdf = tmp_path / "recovery.pdf"
    code = "K7QF-29XD-MM3P-8RTA-Q2ZC-6WHN-B4JE-YV9L"
    assert (
        render_recovery_sheet(code, "db-3f1c2d4", "复旦大学附属儿科医院 (CHFU)", CREATED, pdf) == 1
    )
    text = squash(pdf_text(pdf)[0])
    assert code in text
    assert "db-3f1c2d4" in text and "24/11/2026" in text
    assert "Sealthissheetinanenvelope" in text and "请将本页密封于信封中" in text
    assert decode_qr(rasterise(pdf, 1)) == []  # the code is never in a scannable QR


def test_every_form_of_the_shipped_definition_prints_filled(tmp_path: Path) -> None:
    study = shipped_study()
    for event in study.events:
        forms = tuple(synthetic_form(study, f) for f in event.forms)
        pdf = tmp_path / f"{event.oid}.pdf"
        render_filled_visit(
            study,
            "FD-001",
            VisitValues(event.oid, "", None, forms),
            pdf,
            created=CREATED,
            site=SITE,
        )
        text = squash("".join(pdf_text(pdf)))
        for form_oid in event.forms:
            form = study.form(form_oid)
            assert squash(form.label.zh) in text, f"{event.oid}/{form_oid}"
            for item in form.items():
                assert squash(item.label.en) in text, f"{event.oid}/{form_oid}/{item.oid}"
        assert "2027" in text  # synthetic dates print as DD/MM/YYYY

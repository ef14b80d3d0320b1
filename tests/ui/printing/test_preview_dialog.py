"""Print preview: the casebook's pages on screen, printed through Qt's print dialog, saved as PDF."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QFileDialog

from app.services import crf_print
from tests.ui.conftest import wait_for
from tests.ui.printing.conftest import Ward
from ui.printing.preview_dialog import PrintPreviewDialog


def _preview(qtbot, runner, produce) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(runner, produce)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for(qtbot, runner)
    wait_for(qtbot, runner)  # the first visible pages, requested while painting
    return dialog


def test_casebook_preview_shows_every_page(qtbot, runner, ward: Ward, tmp_path: Path) -> None:
    ws, investigator = ward.workspace, ward.login("investigator")
    expected = len(
        PdfReader(io.BytesIO(crf_print.casebook_pdf(ws, investigator, "FD-005").data)).pages
    )

    dialog = _preview(qtbot, runner, lambda: crf_print.casebook_pdf(ws, investigator, "FD-005"))

    assert dialog.model.rowCount() == expected > 10
    assert dialog.status.text() == f"{expected} page(s)"
    assert "FD-005" in dialog.windowTitle()
    qtbot.waitUntil(lambda: dialog.model.is_rendered(0), timeout=10_000)
    image = dialog.model.data(dialog.model.index(0), 1).toImage()  # DecorationRole
    assert image.width() > 500 and not image.isNull()
    # the page is not blank: some of its pixels are dark (text, boxes, the QR code)
    dark = sum(1 for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
               if image.pixelColor(x, y).lightness() < 100)  # fmt: skip
    assert dark > 50
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    dialog.grab().save(str(tmp_path / "preview.png"))


def test_print_sends_the_chosen_pages_to_the_printer(
    qtbot, runner, ward: Ward, tmp_path: Path, monkeypatch
) -> None:
    ws, nurse = ward.workspace, ward.login("nurse")
    dialog = _preview(qtbot, runner, lambda: crf_print.casebook_pdf(ws, nurse, "FD-004"))
    out = tmp_path / "printed.pdf"

    def accept(self) -> int:  # the user picks "print to file", pages 2 to 3
        printer = self.printer()
        printer.setOutputFileName(str(out))
        printer.setPrintRange(printer.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(dialog.printed, timeout=20_000) as printed:
        dialog.print_document()

    assert printed.args == [2]
    assert len(PdfReader(out).pages) == 2
    assert dialog.status.text() == "2 page(s) sent to the printer."


def test_cancelled_print_dialog_prints_nothing(qtbot, runner, ward: Ward, monkeypatch) -> None:
    ws, nurse = ward.workspace, ward.login("nurse")
    dialog = _preview(qtbot, runner, lambda: crf_print.casebook_pdf(ws, nurse, "FD-004"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    with qtbot.assertNotEmitted(dialog.printed):
        dialog.print_document()
        wait_for(qtbot, runner)


def test_save_pdf_writes_the_document(qtbot, runner, ward: Ward, tmp_path, monkeypatch) -> None:
    ws, nurse = ward.workspace, ward.login("nurse")
    dialog = _preview(qtbot, runner, lambda: crf_print.casebook_pdf(ws, nurse, "FD-004"))
    asked = []

    def choose(parent, caption, directory, filters):
        asked.append(Path(directory).name)
        return str(tmp_path / "binder copy"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_pdf()

    assert asked == ["FD-004-casebook.pdf"]  # the suggested name carries no PHI
    written = tmp_path / "binder copy.pdf"
    assert written.read_bytes() == dialog.document.data
    assert len(PdfReader(written).pages) == dialog.model.rowCount()


def test_a_refused_document_shows_why_and_offers_nothing(qtbot, runner, ward: Ward) -> None:
    ws, admin = ward.workspace, ward.login("admin")
    dialog = _preview(qtbot, runner, lambda: crf_print.casebook_pdf(ws, admin, "FD-004"))

    assert dialog.model.rowCount() == 0
    assert dialog.status.text() == "Your role does not allow this action."
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()


def test_zoom_changes_the_page_size(qtbot, runner, ward: Ward) -> None:
    ws, nurse = ward.workspace, ward.login("nurse")
    dialog = _preview(qtbot, runner, lambda: crf_print.casebook_pdf(ws, nurse, "FD-004"))
    before = dialog.model.page_size(0)
    dialog.zoom_in.click()
    after = dialog.model.page_size(0)
    assert after.width() > before.width()
    assert dialog.zoom_label.text() == "125 %"

"""Scan-back: a CRF page's QR text typed or scanned into the subject search opens that form.

A barcode scanner "types" the QR payload (app.crf.locator) followed by Enter into whatever field
has the focus; the subject search field is where staff look for a subject anyway. `request_for`
turns the text into a NavigationRequest (or says why it cannot), and `ScanBack`, installed once on
the main window, listens to the search field's Enter and opens subject, visit and form in order:
the form is opened only after the subject page has loaded the subject (the worker runs jobs in
submission order), so the stage screen shown on load does not replace it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from app.crf.locator import PREFIX, QrPayloadError, parse_qr_payload
from ui.form_registry import FormRef

STUDY_OID = "NCT03835312"
CASEBOOK_EVENT = "CASEBOOK"  # the casebook's contents page: opens the subject only


@dataclass(frozen=True)
class NavigationRequest:
    """Where a scanned page leads: a subject, and a visit and form of it unless `form_oid` is ""."""

    subject_key: str
    event_oid: str = ""
    repeat_key: str = ""
    form_oid: str = ""
    page: int = 1


class ScanBackError(ValueError):
    """The text is a SeqTx code that cannot open a form; str() is the translated reason."""


def looks_like_code(text: str) -> bool:
    """Whether the text is meant as a CRF code (so it is not searched as a subject ID)."""
    return text.strip().upper().startswith(PREFIX + "|")


def request_for(text: str) -> NavigationRequest | None:
    """The navigation a scanned text asks for; None for ordinary search text.

    Raises ScanBackError for a damaged code, another study's code, or a blank form's code (a blank
    form names no subject: it is filed once the subject ID is written on it).
    """
    if not looks_like_code(text):
        return None
    try:
        locator = parse_qr_payload(text)
    except QrPayloadError as exc:
        raise ScanBackError(
            QCoreApplication.translate(
                "ScanBack", "This CRF code could not be read ({reason}). Scan it again."
            ).format(reason=str(exc))
        ) from exc
    if locator.study != STUDY_OID:
        raise ScanBackError(QCoreApplication.translate("ScanBack", "This CRF belongs to another study ({study}).").format(
            study=locator.study
        ))  # fmt: skip
    if locator.is_blank:
        raise ScanBackError(
            QCoreApplication.translate(
                "ScanBack",
                "This is a blank form: it names no subject. Search for the subject ID instead.",
            )
        )
    if locator.event == CASEBOOK_EVENT:
        return NavigationRequest(locator.subject)
    return NavigationRequest(
        locator.subject, locator.event, locator.repeat, locator.form, locator.page
    )


class ScanBack(QObject):
    """Watches a search field; on Enter with a CRF code, opens the form in the main window.

    `window` is the main window: it provides `open_subject(key)`, `subject_page` (with
    `subject_key`, `tree` and `open_form(FormRef)`), `context.runner` and `subject_list.search`.
    """

    navigated = Signal(object)  # the NavigationRequest opened
    refused = Signal(str)  # the reason shown

    OBJECT_NAME = "scanBack"

    def __init__(self, window: Any, search: QLineEdit | None = None) -> None:
        super().__init__(window)
        self.setObjectName(self.OBJECT_NAME)
        self.window = window
        self.search = search if search is not None else window.subject_list.search
        self.search.returnPressed.connect(self._on_enter)
        self.search.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A window-wide Return shortcut (e.g. "open the selected row") would take the scanner's
        # Enter before the field sees it; claiming the key while the field holds a code keeps it.
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False  # cheap first: this runs for every event of the field, even at teardown
        text = self.search.text()  # read before the identity test (mypy narrows on `is`)
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and watched is self.search
            and looks_like_code(text)
        ):
            event.accept()
            return True
        return False

    def _on_enter(self) -> None:
        text = self.search.text()
        try:
            request = request_for(text)
        except ScanBackError as exc:
            self.search.selectAll()  # the next scan replaces the bad one
            self._show(str(exc))
            self.refused.emit(str(exc))
            return
        if request is None:
            return  # an ordinary search: the subject list handles it
        self.search.clear()
        self.open(request)

    def open(self, request: NavigationRequest) -> None:
        window = self.window
        window.open_subject(request.subject_key)
        if not request.form_oid:
            self.navigated.emit(request)
            return
        page = window.subject_page

        def after_load(_: object) -> None:
            # Runs after the subject page's own load job (one worker, jobs in order).
            if page.subject_key != request.subject_key:
                return
            ref = _tree_ref(page, request)
            if ref is None:
                stage = str(getattr(page.overview, "stage", "") or "")
                ref = FormRef(
                    request.subject_key,
                    request.event_oid,
                    request.repeat_key,
                    request.form_oid,
                    stage,
                )
            page.open_form(ref)
            self.navigated.emit(request)

        window.context.runner.submit(lambda: None, after_load, owner=page)

    def _show(self, message: str) -> None:
        # The status bar: the subject list's own count label is rewritten by its next reload.
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(message, 15_000)


def _tree_ref(page: Any, request: NavigationRequest) -> FormRef | None:
    """Select the scanned form in the subject page's tree; its FormRef, if the subject has it."""
    from ui.pages.subject_page import REF_ROLE

    tree = page.tree
    for i in range(tree.topLevelItemCount()):
        event_item = tree.topLevelItem(i)
        for j in range(event_item.childCount()):
            item = event_item.child(j)
            ref = item.data(0, REF_ROLE)
            if (
                isinstance(ref, FormRef)
                and ref.event_oid == request.event_oid
                and ref.repeat_key == request.repeat_key
                and ref.form_oid == request.form_oid
            ):
                tree.setCurrentItem(item)
                return ref
    return None


def install_scan_back(window: Any) -> ScanBack:
    """Install scan-back on the main window's subject search, once (a second call returns it)."""
    existing = window.findChild(ScanBack, ScanBack.OBJECT_NAME)
    if isinstance(existing, ScanBack):
        return existing
    return ScanBack(window)

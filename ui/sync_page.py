"""SyncPage: the data-center page — export a package, keys, acknowledgements and the sync status.

Every action is one service call on the worker (app.services.sync_export / sync_ack / sync_status);
files and folders are chosen with Qt's dialogs on the GUI thread. The status (last export, last
acknowledgement, packages not yet acknowledged) is reloaded after each action, with a warning when
the data center has acknowledged nothing for the configured number of days (issue 6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import ShellContext
from ui.messages import error_text
from ui.pages.base import Page
from ui.worker import AUDIT, SETTINGS


def _rejections() -> dict[str, str]:
    """Reasons a file given to the site was refused, by SyncRejected code (site-side ones)."""
    return {
        "key.missing": QCoreApplication.translate(
            "SyncPage",
            "The data center's public key has not been imported yet. Import it first "
            "(Import data-center key…).",
        ),
        "key.invalid": QCoreApplication.translate(
            "SyncPage", "This file is not a valid data-center public key file."
        ),
        "ack.invalid": QCoreApplication.translate(
            "SyncPage",
            "This file is not an acknowledgement for this site, or it does not match the "
            "packages this site sent.",
        ),
        "ack.signature": QCoreApplication.translate(
            "SyncPage",
            "The acknowledgement's signature does not match the data center's key: it was not "
            "made by the data center or it was changed. Nothing was recorded.",
        ),
    }


def sync_error_text(exc: BaseException) -> str:
    """A sync refusal in the user's language; any other error as ui.messages says it."""
    values = getattr(exc, "values", None)
    if getattr(exc, "code", "") == "sync.refused" and isinstance(values, Mapping):
        rejection = str(values.get("rejection", ""))
        known = _rejections().get(rejection)
        if known is not None:
            return known
        return QCoreApplication.translate(
            "SyncPage", "The file was refused ({code}). Nothing was changed."
        ).format(code=rejection)
    return error_text(exc)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return QCoreApplication.translate("SyncPage", "never")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class SyncPage(Page):
    """The site's side of the exchange with the trial's data center."""

    topics = (SETTINGS,)
    exported = Signal(object)  # app.sync.site_export.ExportResult
    status_loaded = Signal(object)  # app.sync.site_ack.SyncStatus

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("syncPage")
        self.status: Any = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("hint")
        self.warning = QLabel()
        self.warning.setObjectName("banner")
        self.warning.setWordWrap(True)
        self.warning.hide()

        self.status_box = QGroupBox()
        self.last_export = QLabel()
        self.last_ack = QLabel()
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        self.center_key = QLabel()
        self.center_key.setObjectName("centerKeyFingerprint")
        self.center_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = QFormLayout(self.status_box)
        self.row_labels = [QLabel(), QLabel(), QLabel(), QLabel()]
        values = (self.last_export, self.last_ack, self.pending, self.center_key)
        for label, value in zip(self.row_labels, values, strict=True):
            self.form.addRow(label, value)

        self.export_button = QPushButton()
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_package)
        self.center_key_button = QPushButton()
        self.center_key_button.clicked.connect(self.import_center_key)
        self.site_key_button = QPushButton()
        self.site_key_button.clicked.connect(self.save_site_key)
        self.ack_button = QPushButton()
        self.ack_button.clicked.connect(self.import_acknowledgement)
        can_export = context.can("export_sync")
        can_import = context.can("import_sync")
        self.export_button.setEnabled(can_export)
        self.site_key_button.setEnabled(can_export)
        self.center_key_button.setEnabled(can_import)
        self.ack_button.setEnabled(can_import)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: an export streams, its length is not known ahead
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.result = QLabel()
        self.result.setObjectName("syncResult")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setWordWrap(True)

        self.actions_box = QGroupBox()
        actions = QVBoxLayout(self.actions_box)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.ack_button)
        row.addStretch(1)
        keys = QHBoxLayout()
        keys.addWidget(self.center_key_button)
        keys.addWidget(self.site_key_button)
        keys.addStretch(1)
        actions.addLayout(row)
        actions.addLayout(keys)
        actions.addWidget(self.progress)
        actions.addWidget(self.result)

        self.layout_.addWidget(self.intro)
        self.layout_.addWidget(self.warning)
        self.layout_.addWidget(self.status_box)
        self.layout_.addWidget(self.actions_box)
        self.layout_.addStretch(1)
        self.retranslate()

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Data center"))
        self.intro.setText(
            self.tr(
                "Packages for the trial's data center are encrypted to the data center's key and "
                "signed by this site; they carry no names, hospital numbers or dates of birth. "
                "Copy each package to the USB stick or shared folder agreed with the data center."
            )
        )
        self.status_box.setTitle(self.tr("Status"))
        self.actions_box.setTitle(self.tr("Actions"))
        texts = (
            self.tr("Last export:"),
            self.tr("Last acknowledgement:"),
            self.tr("Not yet acknowledged:"),
            self.tr("Data-center key:"),
        )
        for label, text in zip(self.row_labels, texts, strict=True):
            label.setText(text)
        self.export_button.setText(self.tr("&Export for the data center…"))
        self.ack_button.setText(self.tr("Import &acknowledgement…"))
        self.center_key_button.setText(self.tr("Import data-center &key…"))
        self.site_key_button.setText(self.tr("Save &site public key…"))
        if self.status is not None:
            self._show_status(self.status)

    # --- status ---------------------------------------------------------------------------
    def reload(self) -> None:
        ws, session = self.context.workspace, self.context.session

        def fetch() -> Any:
            from app.services.sync_status import get_sync_status

            return get_sync_status(ws, session)

        self.context.runner.submit(fetch, self._status_loaded, self._failed, owner=self)

    def _status_loaded(self, status: Any) -> None:
        self.status = status
        self._show_status(status)
        self.status_loaded.emit(status)

    def _show_status(self, status: Any) -> None:
        if status.last_export_sequence:
            self.last_export.setText(
                self.tr("package %1, %2")
                .replace("%1", str(status.last_export_sequence))
                .replace("%2", _when(status.last_export_at))
            )
        else:
            self.last_export.setText(self.tr("no package exported yet"))
        if status.last_ack_at is not None:
            self.last_ack.setText(
                self.tr("%1, packages up to %2 received")
                .replace("%1", _when(status.last_ack_at))
                .replace("%2", str(status.sequence_reached))
            )
        else:
            self.last_ack.setText(self.tr("none received yet"))
        if status.unacknowledged:
            numbers = ", ".join(str(n) for n in status.unacknowledged)
            self.pending.setText(
                self.tr("%n package(s): ", "", len(status.unacknowledged)) + numbers
            )
        else:
            self.pending.setText(self.tr("none"))
        if status.center_key_fingerprint:
            self.center_key.setText(
                self.tr("fingerprint %1").replace("%1", status.center_key_fingerprint)
            )
        else:
            self.center_key.setText(
                self.tr("not imported yet: import the key file the data center gave you")
            )
        if status.warning:
            self.warning.setText(
                self.tr(
                    "The data center has acknowledged nothing for %n day(s) (warning after %1 "
                    "days). Check that the packages reached the data center and import its "
                    "acknowledgement.",
                    "",
                    int(status.days_without_ack or 0),
                ).replace("%1", str(status.warn_after_days))
            )
            self.warning.show()
        else:
            self.warning.hide()

    # --- actions --------------------------------------------------------------------------
    def _run(self, job: Callable[[], Any], done: Callable[[Any], None], busy: str) -> None:
        self.progress.show()
        self.result.setText(busy)
        for button in (
            self.export_button,
            self.ack_button,
            self.center_key_button,
            self.site_key_button,
        ):
            button.setProperty("was_enabled", button.isEnabled())
            button.setEnabled(False)

        def finished(value: Any) -> None:
            self._idle()
            done(value)
            self.reload()

        def failed(exc: Exception) -> None:
            self._idle()
            self._failed(exc)
            self.reload()

        self.context.runner.submit(job, finished, failed, owner=self, changes=(AUDIT,))

    def _idle(self) -> None:
        self.progress.hide()
        for button in (
            self.export_button,
            self.ack_button,
            self.center_key_button,
            self.site_key_button,
        ):
            button.setEnabled(bool(button.property("was_enabled")))

    def _failed(self, exc: Exception) -> None:
        self.result.setText(sync_error_text(exc))

    def export_package(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Export for the data center: choose the folder or USB stick")
        )
        if not folder:
            return
        ws, session, out = self.context.workspace, self.context.session, Path(folder)

        def job() -> Any:
            from app.services.sync_export import export_for_data_center

            return export_for_data_center(ws, session, out)

        self._run(job, self._exported, self.tr("Exporting the package…"))

    def _exported(self, result: Any) -> None:
        counts = result.counts
        self.result.setText(
            self.tr(
                "Package %1 written: %2\nin %8\n%3 subject(s), %4 value change(s), "
                "%5 audit record(s), %6 signature(s)%7."
            )
            .replace("%1", str(result.sequence))
            .replace("%2", result.path.name)
            .replace("%8", str(result.path.parent))
            .replace("%3", str(counts.get("subjects", 0)))
            .replace("%4", str(counts.get("item_changes", 0)))
            .replace("%5", str(counts.get("audit_records", 0)))
            .replace("%6", str(counts.get("signatures", 0)))
            .replace(
                "%7", self.tr(", with the study definition") if result.includes_metadata else ""
            )
        )
        self.exported.emit(result)

    def import_center_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import the data center's public key"),
            "",
            self.tr("Key files (*.json);;All files (*)"),
        )
        if not path:
            return
        ws, session, source = self.context.workspace, self.context.session, Path(path)

        def job() -> Any:
            from app.services.sync_export import import_center_key

            return import_center_key(ws, session, source)

        def done(fingerprint: str) -> None:
            self.result.setText(
                self.tr(
                    "Data-center key imported. Fingerprint:\n%1\nCompare it with the fingerprint "
                    "the data center gave you by telephone or letter."
                ).replace("%1", fingerprint)
            )
            self.reload()

        self._run(job, done, self.tr("Importing the key…"))

    def save_site_key(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save this site's public key for the data center"),
            "seqtx-site-public-key.json",
            self.tr("Key files (*.json)"),
        )
        if not path:
            return
        ws, session, target = self.context.workspace, self.context.session, Path(path)

        def job() -> Any:
            from app.services.sync_export import site_key_document

            document, fingerprint = site_key_document(ws, session)
            target.write_bytes(document)
            return fingerprint

        def done(fingerprint: str) -> None:
            self.result.setText(
                self.tr(
                    "Site public key saved as %1. Fingerprint:\n%2\nSend the file to the data "
                    "center and tell them the fingerprint separately."
                )
                .replace("%1", str(target))
                .replace("%2", fingerprint)
            )

        self._run(job, done, self.tr("Saving the key…"))

    def import_acknowledgement(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import an acknowledgement from the data center"),
            "",
            self.tr("Acknowledgements (*.sta);;All files (*)"),
        )
        if not path:
            return
        ws, session, source = self.context.workspace, self.context.session, Path(path)

        def job() -> Any:
            from app.services.sync_ack import import_acknowledgement

            return import_acknowledgement(ws, session, source)

        def done(result: Any) -> None:
            text = self.tr(
                "%n package(s) newly acknowledged; packages up to %1 received.",
                "",
                len(result.acknowledged),
            ).replace("%1", str(result.sequence_reached))
            if result.queries_added:
                text += " " + self.tr(
                    "%n new query(ies) from the data center.", "", result.queries_added
                )
            if result.open_conflicts:
                text += " " + self.tr(
                    "%n conflict(s) wait at the data center.", "", result.open_conflicts
                )
            self.result.setText(text)

        self._run(job, done, self.tr("Importing the acknowledgement…"))

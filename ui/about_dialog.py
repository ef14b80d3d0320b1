"""AboutDialog: SeqTx version, the trial, the database file and the SQLCipher version in use."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app import __version__
from ui.context import ShellContext
from ui.messages import error_text


class AboutDialog(QDialog):
    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setMinimumWidth(520)
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.trial = QLabel()
        self.trial.setWordWrap(True)
        self.version = QLabel(__version__)
        self.site = QLabel()
        self.path = QLabel(str(context.db_path))
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path.setWordWrap(True)
        self.sqlcipher = QLabel("…")
        self.sqlcipher.setObjectName("sqlcipherVersion")
        self.labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, value in zip(
            self.labels, (self.version, self.site, self.path, self.sqlcipher), strict=True
        ):
            form.addRow(label, value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.trial)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.retranslate()
        ws = context.workspace

        def fetch() -> Any:
            from app.services.site_setup import site_info

            return site_info(ws)

        context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About SeqTx"))
        self.heading.setText("SeqTx")
        self.trial.setText(
            self.tr(
                "Ward application of trial NCT03835312: sequential umbilical cord blood and islet "
                "transplantation, Children's Hospital of Fudan University."
            )
        )
        for label, text in zip(
            self.labels,
            (self.tr("Version"), self.tr("Site"), self.tr("Database"), self.tr("SQLCipher")),
            strict=True,
        ):
            label.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _loaded(self, info: Any) -> None:
        self.site.setText(f"{info.site_code} · {info.site_name}")
        self.path.setText(str(info.db_path))
        self.sqlcipher.setText(str(info.sqlcipher_version))

    def _failed(self, exc: Exception) -> None:
        self.sqlcipher.setText(error_text(exc))

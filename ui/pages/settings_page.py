"""SettingsPage: the language of this workstation (switches at once) and the site's idle timeout."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ui.context import ShellContext
from ui.i18n import LANGUAGE_NAMES, LANGUAGES
from ui.messages import error_text
from ui.pages.base import Page
from ui.worker import AUDIT, SETTINGS


class SettingsPage(Page):
    topics = (SETTINGS,)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.workstation_box = QGroupBox()
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.language.setMinimumWidth(220)
        ws_form = QFormLayout(self.workstation_box)
        ws_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        ws_form.addRow(self.language_label, self.language)

        self.site_box = QGroupBox()
        self.idle = QSpinBox()
        self.idle.setObjectName("idleTimeout")
        self.idle.setRange(1, 120)
        self.idle_label = QLabel()
        self.idle_label.setBuddy(self.idle)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveSettings")
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.idle.setMinimumWidth(220)
        site_form = QFormLayout(self.site_box)
        site_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        site_form.addRow(self.idle_label, self.idle)
        site_form.addRow("", self.save_button)
        site_form.addRow("", self.status)
        may_change = context.can("change_settings")
        self.idle.setEnabled(may_change)
        self.save_button.setEnabled(may_change)

        self.layout_.addWidget(self.workstation_box)
        self.layout_.addWidget(self.site_box)
        self.layout_.addStretch(1)
        self._sync_language()
        self.language.currentIndexChanged.connect(self._language_picked)
        self.save_button.clicked.connect(self.save)
        self.idle.editingFinished.connect(self.save_button.setFocus)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Settings"))
        self.workstation_box.setTitle(self.tr("This workstation"))
        self.language_label.setText(self.tr("&Language"))
        self.site_box.setTitle(self.tr("Site (applies to every workstation)"))
        self.idle_label.setText(self.tr("Lock the screen after &idle minutes"))
        self.idle.setSuffix(self.tr(" min"))
        self.save_button.setText(self.tr("&Save"))
        self._sync_language()  # switched elsewhere, e.g. on the login window

    def _sync_language(self) -> None:
        index = LANGUAGES.index(self.context.language.language)
        if self.language.currentIndex() != index:
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)

    def _language_picked(self, index: int) -> None:
        self.context.language.switch(str(self.language.itemData(index)))

    def reload(self) -> None:
        ws, session = self.context.workspace, self.context.session

        def fetch() -> Any:
            from app.services.settings import get_settings

            return get_settings(ws, session)

        self.context.runner.submit(fetch, self._loaded, self._failed, owner=self)

    def _loaded(self, settings: Any) -> None:
        self.idle.setValue(int(settings.idle_timeout_minutes))

    def _failed(self, exc: Exception) -> None:
        self.status.setObjectName("error")
        self.status.setText(error_text(exc))

    def save(self) -> None:
        ws, session, minutes = self.context.workspace, self.context.session, self.idle.value()

        def call() -> Any:
            from app.services.settings import update_settings

            return update_settings(ws, session, idle_timeout_minutes=minutes)

        def done(settings: Any) -> None:
            self.status.setObjectName("ok")
            self.status.setText(self.tr("Saved."))
            self._loaded(settings)

        self.context.runner.submit(call, done, self._failed, owner=self, changes=(SETTINGS, AUDIT))

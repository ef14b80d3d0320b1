"""The UI language: installs SeqTx's and Qt's own translators and switches them at run time.

Switching removes and installs QTranslators; Qt then sends QEvent.LanguageChange to every widget, and
each widget re-sets its texts in `retranslate()`. The choice is a workstation preference (before any
login, the login window already speaks the chosen language), kept in ui.preferences.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication

from app.paths import resource
from ui import preferences

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
# Shown in each language's own script so a user can always find theirs.
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}


def default_language() -> str:
    saved = preferences.load().value("ui/language", "")
    if saved in LANGUAGES:
        return str(saved)
    return CHINESE if QLocale.system().name().startswith("zh") else ENGLISH


class LanguageManager(QObject):
    """Owns the installed translators; `switch` changes the language of every open window."""

    language_changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._translators: list[QTranslator] = []
        self.language = ENGLISH

    def switch(self, language: str, *, remember: bool = True) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators.clear()
        if language == CHINESE:
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            ours = resource("translations")
            # Every area ships its own catalogue (seqtx_<area>_zh_CN.qm, compiled by make).
            catalogues = sorted(p.stem for p in ours.glob("seqtx*_zh_CN.qm"))
            for name, directory in (
                ("qtbase_zh_CN", qt_dir),
                *((name, str(ours)) for name in catalogues),
            ):
                translator = QTranslator(self)
                if translator.load(name, directory):
                    self._app.installTranslator(translator)
                    self._translators.append(translator)
        # Numbers and dates follow the language; the ward is in China either way.
        QLocale.setDefault(QLocale("zh_CN" if language == CHINESE else "en_US"))
        self.language = language
        # Qt posts LanguageChange to the windows; deliver it now so that every text has changed
        # by the time switch() returns (no half-translated screen, deterministic tests).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        if remember:
            settings = preferences.load()
            settings.setValue("ui/language", language)
            settings.sync()
        self.language_changed.emit(language)

"""The printing and sync catalogue is complete Chinese, and the screens speak it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # the element type; parsing goes through defusedxml

import pytest
from defusedxml import ElementTree as defused_et

from app.paths import resource
from tests.ui.conftest import wait_for
from ui.i18n import CHINESE
from ui.printing.preview_dialog import PrintPreviewDialog
from ui.sync_page import SyncPage

CATALOGUE = resource("translations", "seqtx_print_zh_CN.ts")
PLACEHOLDER = re.compile(r"%\d|%n|\{\w+\}")


def _messages() -> list[ET.Element]:
    return list(defused_et.parse(CATALOGUE).getroot().iter("message"))


def test_every_message_is_translated_with_its_placeholders() -> None:
    messages = _messages()
    assert len(messages) > 60
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, source
        text = "".join(translation.itertext()).strip()
        assert text and re.search(r"[\u4e00-\u9fff]", text), source
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), source
        # the same keyboard accelerator letter in both languages
        accel = re.search(r"&(\w)", source.replace("&&", ""))
        if accel and "(&" in text:
            assert f"(&{accel.group(1).upper()})" in text, source


@pytest.fixture
def chinese(qapp, language):
    """Chinese, with this catalogue installed as ui.i18n installs it (harmless if it already is)."""
    from PySide6.QtCore import QTranslator

    language.switch(CHINESE, remember=False)
    translator = QTranslator()
    assert translator.load("seqtx_print_zh_CN", str(resource("translations")))
    qapp.installTranslator(translator)
    yield language
    qapp.removeTranslator(translator)


def test_screens_speak_chinese(qtbot, runner, chinese, site, admin, make_context) -> None:
    page = SyncPage(make_context(site.workspace, admin))
    qtbot.addWidget(page)
    page.reload()
    wait_for(qtbot, runner)
    assert page.title.text() == "数据中心"
    assert page.export_button.text() == "导出给数据中心(&E)…"
    assert page.last_export.text() == "尚未导出任何数据包"

    from app.services.crf_print import recovery_sheet_pdf

    dialog = PrintPreviewDialog(
        runner, lambda: recovery_sheet_pdf("A-B", "db", "FD", site.workspace.clock.now())
    )
    qtbot.addWidget(dialog)
    wait_for(qtbot, runner)
    assert dialog.status.text() == "共 1 页"
    assert dialog.print_button.text() == "打印(&P)…"

"""The ward screens speak Simplified Chinese: the ward catalogue is complete and installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from PySide6.QtCore import Qt

from app.paths import resource
from app.services.stage_common import Target
from app.services.worklist import Alert, WorklistRow
from ui.i18n import CHINESE
from ui.ward.worklist_page import WorklistModel


def test_ward_catalogue_is_complete() -> None:
    ts = resource("translations", "seqtx_ward_zh_CN.ts")
    messages = ElementTree.parse(ts).getroot().iter("message")  # noqa: S314  (our own file)
    unfinished = [m.findtext("source") for m in messages
                  if not (m.findtext("translation") or "").strip()]  # fmt: skip
    assert unfinished == []


def test_worklist_in_chinese(qapp: Any, language: Any) -> None:
    ts = resource("translations", "seqtx_ward_zh_CN.ts")
    qm = ts.with_suffix(".qm")
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    language.switch(CHINESE, remember=False)
    model = WorklistModel()
    alert = Alert("engraftment.status.primary_graft_failure", "alert", Target("SE.POST", "45"))
    model.set_rows([WorklistRow("FD-009", "infused", 45, 0, 0, True, True, None,
                                "primary_graft_failure", None, 0, 0, None, 0, (alert,),
                                Target("SE.POST", "45"))])  # fmt: skip
    headers = [model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(model.columnCount())]  # fmt: skip
    assert headers[:4] == ["受试者", "天", "阶段", "警示"]
    alerts = model.data(model.index(0, 3))
    assert alerts == "‼ 原发性植入失败（+42天）"

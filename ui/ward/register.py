"""Plugs the ward screens into the shell's registry (ui.form_registry PAGE_MODULES names this).

Every form of the study definition gets the generated FormPage and every stage the StagePage (the
stepper with the stage's screens as tabs); the engraftment page is the tab of the post-infusion
stages. Stage screens in ui/stages/ register after this module and take precedence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.domain.stages import Stage
from app.study.loader import default_study
from ui.form_registry import StageBody, register_form_page, register_stage_body, register_stage_page
from ui.ward.form_widget import FormPage
from ui.ward.stepper import StagePage


def _engraftment_page(context: Any, ref: Any, parent: Any) -> Any:
    from ui.ward.engraftment_page import EngraftmentPage

    return EngraftmentPage(context, ref, parent)


for _oid in default_study().forms:
    register_form_page(_oid, FormPage)

for _stage in Stage:
    register_stage_page(_stage.value, StagePage)

register_stage_body(
    StageBody(
        key="engraftment",
        stages=frozenset({"infused", "engraftment", "islet_eligibility"}),
        title=lambda: QCoreApplication.translate(
            "StagePage", "Engraftment and post-transplant care"
        ),
        factory=_engraftment_page,
        order=10,
        forms=frozenset({"F.FBC"}),
    )
)

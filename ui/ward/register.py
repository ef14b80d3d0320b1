"""Plugs the ward screens into the shell's registry (ui.form_registry PAGE_MODULES names this).

Every form of the study definition gets the generated FormPage; stage pages registered by the
modules imported below take precedence for their stage.
"""

from __future__ import annotations

from app.domain.stages import Stage
from app.study.loader import default_study
from ui.form_registry import register_form_page, register_stage_page
from ui.ward.form_widget import FormPage
from ui.ward.stepper import StagePage

for _oid in default_study().forms:
    register_form_page(_oid, FormPage)

for _stage in Stage:
    register_stage_page(_stage.value, StagePage)

"""Where stage and form screens plug in: a registry from form OIDs and stages to page factories.

The ward-workflow screens (issue 4) register here, e.g. in their module:

    register_form_page("F.CONDADM", lambda context, ref, parent: ConditioningPage(context, ref, parent))
    register_stage_page("conditioning", lambda context, ref, parent: ConditioningStagePage(...))

and the subject page opens whatever is registered, falling back to GenericFormPage (a read-only view
of the saved items) for forms nobody registered yet. Every module of the package `ui.stages` (and any
named in PAGE_MODULES) is imported once, lazily, on the first lookup: a new stage screen is a new
file in ui/stages/ that calls register_*, with no edit of the subject page or of this module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from ui.context import ShellContext


@dataclass(frozen=True)
class FormRef:
    """One form instance of one subject: what a form page is opened on."""

    subject_key: str
    event_oid: str
    repeat_key: str
    form_oid: str
    stage: str = ""


PageFactory = Callable[[ShellContext, FormRef, QWidget | None], QWidget]

# Modules that call register_* at import (the ward-workflow area adds its own here).
PAGE_MODULES: list[str] = []

_FORM_PAGES: dict[str, PageFactory] = {}
_STAGE_PAGES: dict[str, PageFactory] = {}
_loaded = False


def register_form_page(form_oid: str, factory: PageFactory) -> None:
    _FORM_PAGES[form_oid] = factory


def register_stage_page(stage: str, factory: PageFactory) -> None:
    _STAGE_PAGES[stage] = factory


def _load_modules() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        import ui.stages

        names = [f"ui.stages.{m.name}" for m in pkgutil.iter_modules(ui.stages.__path__)]
        for name in [*names, *PAGE_MODULES]:
            importlib.import_module(name)


def form_page_factory(form_oid: str) -> PageFactory:
    """The registered page of this form, else the generic form view."""
    _load_modules()
    factory = _FORM_PAGES.get(form_oid)
    if factory is not None:
        return factory
    from ui.pages.generic_form_page import GenericFormPage

    return GenericFormPage


def stage_page_factory(stage: str) -> PageFactory | None:
    _load_modules()
    return _STAGE_PAGES.get(stage)

"""Where stage and form screens plug in: a registry from form OIDs and stages to page factories.

The ward-workflow screens (issue 4) register here, e.g. in their module:

    register_form_page("F.CONDADM", lambda context, ref, parent: ConditioningPage(context, ref, parent))
    register_stage_page("conditioning", lambda context, ref, parent: ConditioningStagePage(...))

and the subject page opens whatever is registered, falling back to GenericFormPage (a read-only view
of the saved items) for forms nobody registered yet. The modules named in PAGE_MODULES (the generated
ward forms of ui.ward.register) and then every module of the package `ui.stages` are imported once,
lazily, on the first lookup: a new stage screen is a new file in ui/stages/ that calls register_*
(a form page, or a StageBody tab under the stage stepper), with no edit of the subject page or of
this module.
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


@dataclass(frozen=True)
class StageBody:
    """One stage screen shown as a tab under the stage stepper while the subject is in `stages`.

    `title` is called at display time so that it follows the current language; `order` sorts the
    tabs (the stage's main task first); a worklist task on one of `forms` opens this screen rather
    than the bare form.
    """

    key: str
    stages: frozenset[str]
    title: Callable[[], str]
    factory: PageFactory
    order: int = 50
    forms: frozenset[str] = frozenset()


# Modules that call register_* at import, besides every module of ui.stages.
PAGE_MODULES: list[str] = ["ui.ward.register"]

_FORM_PAGES: dict[str, PageFactory] = {}
_STAGE_PAGES: dict[str, PageFactory] = {}
_STAGE_BODIES: dict[str, StageBody] = {}
_loaded = False


def register_form_page(form_oid: str, factory: PageFactory) -> None:
    _FORM_PAGES[form_oid] = factory


def register_stage_page(stage: str, factory: PageFactory) -> None:
    _STAGE_PAGES[stage] = factory


def register_stage_body(body: StageBody) -> None:
    _STAGE_BODIES[body.key] = body


def _load_modules() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        import ui.stages

        names = [f"ui.stages.{m.name}" for m in pkgutil.iter_modules(ui.stages.__path__)]
        for name in [*PAGE_MODULES, *names]:  # ui.stages registers last and wins
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


def stage_bodies(stage: str) -> list[StageBody]:
    """The stage screens registered for this stage, in tab order."""
    _load_modules()
    found = [b for b in _STAGE_BODIES.values() if stage in b.stages]
    return sorted(found, key=lambda b: (b.order, b.key))

"""The soft-range round trip of every saving screen (the rule of app.services.forms.save_form):
a save refused only for values outside their soft range asks a confirmation comment per value
(form_widget.ask_soft_confirmation) so the screen saves again with the comments; any other problem
(a hard range, a format) cannot be confirmed and is listed in the generated forms' words.
A cancelled comment saves nothing; the screen keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.study.model import StudyDefinition
from ui.ward.form_widget import _problem_text, ask_soft_confirmation

ItemKey = tuple[str, str, str]
SOFT_RANGE = "forms.soft_range"  # app.services.forms.SOFT_RANGE
Label = Callable[[ItemKey], str]  # the item's label as the screen shows it
Mark = Callable[[ItemKey, str], None]  # marks the item's editor with the problem text


@dataclass(frozen=True)
class SoftRangeAnswer:
    """A comment per soft-range value (save again with them), or why nothing can be saved."""

    comments: Mapping[ItemKey, str] | None  # None: not confirmed, `message` says why
    message: str = ""


def validation_problems(exc: BaseException) -> tuple[Any, ...] | None:
    """The ItemProblems of a refused save (FormValidationFailed); None for any other error."""
    from app.services.errors import FormValidationFailed

    if isinstance(exc, FormValidationFailed):
        return tuple(exc.values.get("problems", ()))
    return None


def item_labels(study: StudyDefinition, language: str) -> Label:
    """The study's label of each item (its OID when the study does not know it)."""

    def label(key: ItemKey) -> str:
        oid = key[2]
        return study.item(oid).label.get(language) if study.has_item(oid) else oid

    return label


def problem_lines(problems: Sequence[Any], label: Label, mark: Mark | None = None) -> list[str]:
    """'Label: refused: allowed range is 30 – 45' per problem; each editor marked when `mark`."""
    lines = []
    for p in problems:
        text = _problem_text(p.code, p.values)
        if mark is not None:
            mark(p.key, text)
        lines.append(f"{label(p.key)}: {text}")
    return lines


def confirm_soft_values(
    parent: QWidget, problems: Sequence[Any], label: Label, mark: Mark | None = None
) -> SoftRangeAnswer:
    """Soft-range problems only: ask a comment for each value (one dialog a value). Any other
    problem: the lines of those (nothing is asked, as a comment could not save them)."""
    soft = [p for p in problems if p.code == SOFT_RANGE]
    others = [p for p in problems if p.code != SOFT_RANGE]
    if others or not soft:
        return SoftRangeAnswer(None, "\n".join(problem_lines(others, label, mark)))
    comments: dict[ItemKey, str] = {}
    for p in soft:
        comment = ask_soft_confirmation(
            parent, label(p.key), p.values.get("low"), p.values.get("high")
        )
        if comment is None:
            problem_lines([p], label, mark)
            return SoftRangeAnswer(
                None,
                QCoreApplication.translate(
                    "FormWidget", "Not saved: values outside the expected range."
                ),
            )
        comments[p.key] = comment
    return SoftRangeAnswer(comments)

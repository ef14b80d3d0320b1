"""What the screening and end-of-study screens say: criterion names, results, what is missing, and
the refusals of the stage services, in the user's language.

app.services.stage_eligibility returns codes and keys only (ARCHITECTURE.md section 6); this module
turns them into sentences. Item labels come from the study definition, so a missing answer is named
exactly as the form names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.study.model import StudyDefinition
from ui.messages import error_text

MARKS = {"met": "✓", "not_met": "✗", "missing": "?", "invalid": "!"}
COLOURS = {"met": "#e3f1e6", "not_met": "#f8e1e1", "missing": "#fff3cd", "invalid": "#fff3cd"}
OVERALL_COLOURS = {"eligible": "#e3f1e6", "not_eligible": "#f8e1e1", "incomplete": "#fff3cd"}


def _t(text: str) -> str:
    return QCoreApplication.translate("ScreeningTexts", text)


def local_time(moment: datetime, clock: Any) -> str:
    """A stored UTC moment (a signature) as the ward's wall-clock time."""
    offset = getattr(clock, "local_offset_minutes", lambda: 0)()
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(timezone(timedelta(minutes=offset))).strftime("%Y-%m-%d %H:%M")


def criterion_title(criterion: str) -> str:
    """The short name of an app.domain.eligibility criterion."""
    names = {
        "inc1_t1dm": _t("Inclusion 1: type 1 diabetes with genetic immunodeficiency"),
        "inc2_organ_damage": _t("Inclusion 2: extrapancreatic organ damage, recurring"),
        "inc3_pathogenic_variant": _t("Inclusion 3: disease-causing variant confirmed"),
        "exc1_effective_treatment_available": _t("Exclusion 1: effective treatment available"),
        "exc2_hiv_hbv_hcv_positive": _t("Exclusion 2: HIV, HBV or HCV positive"),
        "exc3_active_infection": _t("Exclusion 3: active infection"),
        "exc4_active_malignancy": _t("Exclusion 4: active malignant tumour"),
        "exc5_other_fatal_disease": _t("Exclusion 5: another fatal disease"),
        "exc6_mental_disorder": _t("Exclusion 6: mental or psychological disease"),
        "age": _t("Age 18 years or under"),
    }
    return names.get(criterion, criterion)


def criterion_status_text(status: str) -> str:
    texts = {
        "met": _t("Met"),
        "not_met": _t("Not met"),
        "missing": _t("Not answered"),
        "invalid": _t("Invalid"),
    }
    return f"{MARKS.get(status, '')} {texts.get(status, status)}".strip()


def overall_text(status: str) -> str:
    texts = {
        "eligible": _t("Eligible"),
        "not_eligible": _t("Not eligible"),
        "incomplete": _t("Incomplete"),
    }
    return texts.get(status, status)


def yes_no_text(value: object) -> str:
    return _t("Yes") if value else _t("No")


def missing_name(key: str, study: StudyDefinition, language: str) -> str:
    """A missing answer ("inc2_organ_damage.immune_hepatitis", "date_of_birth") by its form label."""
    from app.services.stage_eligibility import CRITERION_ITEMS, EXCLUSION_ITEMS, ORGAN_ITEMS

    if key == "date_of_birth":
        return _t("date of birth (subject registration)")
    criterion, _, part = key.partition(".")
    if part == "recurring":
        item = "IT.IE.OD_RECUR"
    elif part:
        item = ORGAN_ITEMS.get(part, "")
    else:
        item = EXCLUSION_ITEMS.get(criterion) or CRITERION_ITEMS.get(criterion, ("",))[0]
    return item_label(study, item, language) or key


def item_label(study: StudyDefinition, item_oid: str, language: str) -> str:
    """The label of an F.ELIG item ("" when the item is unknown)."""
    form = study.forms.get("F.ELIG")
    for group in form.groups if form is not None else ():
        for item in group.items:
            if item.oid == item_oid:
                return item.label.get(language)
    return ""


def criterion_details(
    criterion: str, status: str, values: Mapping[str, object], missing: tuple[str, ...],
    study: StudyDefinition, language: str,
) -> str:  # fmt: skip
    """The value that decided the criterion, or what is still missing."""
    from app.services.stage_eligibility import ORGAN_ITEMS

    if status == "invalid":
        return _t("Date of birth is after the assessment date")
    if status == "missing":
        # A one-question criterion needs no repeat of its own question ("Not answered" says it).
        names = [missing_name(m, study, language) for m in missing if m != criterion]
        if len(names) > 2:
            return _t("Missing: %1 answers").replace("%1", str(len(names)))
        return _t("Missing: %1").replace("%1", "; ".join(names)) if names else ""
    if criterion == "age":
        return (
            _t("%1 years (limit %2)")
            .replace("%1", str(values.get("age_years")))
            .replace("%2", str(values.get("age_max_years")))
        )
    if criterion == "inc2_organ_damage":
        present = values.get("present")
        keys = present if isinstance(present, tuple) else ()
        organs = [item_label(study, ORGAN_ITEMS.get(str(k), ""), language) for k in keys]
        if not organs:
            return _t("No organ damage recorded")
        text = _t("Present: %1").replace("%1", "; ".join(organs))
        if "recurring" in values:
            text += " · " + _t("recurs: %1").replace("%1", yes_no_text(values["recurring"]))
        return text
    if "present" in values:
        return _t("Condition present: %1").replace("%1", yes_no_text(values["present"]))
    return _t("Answer: %1").replace("%1", yes_no_text(values.get("answer")))


def refusal_text(exc: BaseException) -> str:
    """A stage service's refusal in words (error_text names a refused move's missing facts)."""
    code = getattr(exc, "code", None)
    values = getattr(exc, "values", None) or {}
    if code == "ward.not_ready":
        return _t("Not possible yet: the checklist is incomplete.")
    if code == "input.invalid" and values.get("field") == "reason":
        return _t("Enter a reason.")
    return error_text(exc)

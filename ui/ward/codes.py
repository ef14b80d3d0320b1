"""Translated sentences for the codes ward services return (alerts, stage reasons, statuses)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("WardCodes", text)


def code_text(code: str, values: Mapping[str, object] | None = None) -> str:
    """The sentence of a service code; an unknown code is shown as itself (never hidden)."""
    texts = {
        "engraftment.status.pending": _t("Awaiting engraftment"),
        "engraftment.status.engrafted": _t("Neutrophils engrafted"),
        "engraftment.status.warning_day28": _t("No engraftment by Day +28"),
        "engraftment.status.primary_graft_failure": _t("Primary graft failure (Day +42)"),
        "engraftment.status.graft_failure": _t("Graft failure"),
        "engraftment.status.secondary_graft_failure": _t("Secondary graft failure"),
        "schedule.visit.due": _t("Visit due (month {month})"),
        "schedule.visit.open": _t("Visit window open (month {month})"),
        "schedule.visit.overdue": _t("Visit overdue (month {month})"),
        "schedule.visit.out_of_window": _t("Visit out of window (month {month})"),
        "schedule.visit.not_yet_due": _t("Visit not yet due"),
        "schedule.visit.done": _t("Visit done"),
        "schedule.visit.missed": _t("Visit missed"),
        "druglevels.status.below": _t("Drug level below target"),
        "druglevels.status.above": _t("Drug level above target"),
        "druglevels.status.within": _t("Drug level within target"),
        "druglevels.due.due": _t("Drug level due"),
        "conditioning.deviation.warn": _t("Dose deviation"),
        "conditioning.deviation.ok": _t("Dose as calculated"),
        "gvhd.acute.grade_2": _t("Acute GVHD grade II"),
        "gvhd.acute.grade_3": _t("Acute GVHD grade III"),
        "gvhd.acute.grade_4": _t("Acute GVHD grade IV"),
        "ward.doses_due": _t("Conditioning doses due"),
        "ward.isolation_due": _t("Isolation checklist not done"),
        "ward.count_due": _t("Blood count not entered"),
        "ward.infection_open": _t("Infection open"),
        "ward.queries_open": _t("Open data queries"),
        "stages.needs.eligible": _t("eligibility result is not 'eligible'"),
        "stages.needs.consent": _t("consent not signed"),
        "stages.needs.consent_signed": _t("consent not signed"),
        "stages.needs.eligibility_signed": _t("eligibility not signed by an investigator"),
        "stages.needs.not_eligible": _t("eligibility result is not 'not eligible'"),
        "stages.needs.unit_selected": _t("no cord blood unit selected"),
        "stages.needs.conditioning_started": _t("no conditioning dose recorded"),
        "stages.needs.infusion_recorded": _t("infusion not recorded"),
        "stages.needs.infusion_verified": _t("bedside verification not done"),
        "stages.needs.neutrophil_engraftment": _t("neutrophil engraftment not reached"),
        "stages.needs.platelet_engraftment": _t("platelet engraftment not reached"),
        "stages.needs.islet_decision": _t("islet decision not recorded"),
        "stages.needs.islet_eligible": _t("islet decision is not 'eligible'"),
        "stages.needs.islet_decision_signed": _t("islet decision not signed"),
        "stages.needs.islet_infusion_recorded": _t("islet infusion not recorded"),
        "stages.needs.treatment_complete_signed": _t("treatment completion not signed"),
        "stages.needs.follow_up_visits_closed": _t("follow-up visits still open"),
        "stages.needs.end_of_study_signed": _t("end of study not signed"),
        "stages.needs.withdrawal_recorded": _t("withdrawal not recorded"),
        "stages.needs.death_recorded": _t("death not recorded"),
        "stages.needs.lost_to_follow_up_recorded": _t("loss to follow-up not recorded"),
        "stages.undefined": _t("this move is not part of the treatment path"),
        "infusion.dmso.ok": _t("DMSO within limit"),
        "infusion.dmso.over_limit": _t("DMSO over the limit"),
    }
    text = texts.get(code)
    if text is None:
        return code
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def step_status_text(status: str) -> str:
    texts = {
        "done": _t("done"),
        "current": _t("current"),
        "available": _t("ready"),
        "blocked": _t("not yet"),
        "future": _t("later"),
        "skipped": _t("skipped"),
    }
    return texts.get(status, status)


def severity_text(severity: str) -> str:
    texts = {"alert": _t("ALERT"), "warning": _t("Warning"), "info": _t("Info")}
    return texts.get(severity, severity)

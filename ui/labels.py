"""Translated names of the codes the services return: treatment stages, roles, audit actions."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def stage_name(stage: str) -> str:
    names = {
        "screening": _t("Screening"),
        "screen_failure": _t("Screen failure"),
        "enrolled": _t("Enrolled"),
        "unit_selected": _t("Cord blood unit selected"),
        "conditioning": _t("Conditioning"),
        "infused": _t("Infused (Day 0)"),
        "engraftment": _t("Engraftment"),
        "islet_eligibility": _t("Islet eligibility"),
        "islet_transplanted": _t("Islet transplanted"),
        "treatment_complete": _t("Treatment complete"),
        "follow_up": _t("Follow-up"),
        "completed": _t("Completed"),
        "withdrawn": _t("Withdrawn"),
        "died": _t("Died"),
        "lost_to_follow_up": _t("Lost to follow-up"),
    }
    return names.get(stage, stage)


ROLES = ("administrator", "investigator", "physician", "nurse", "data_manager", "monitor")


def role_name(role: object) -> str:
    code = str(getattr(role, "value", role))
    names = {
        "administrator": _t("Administrator"),
        "investigator": _t("Investigator"),
        "physician": _t("Physician"),
        "nurse": _t("Nurse"),
        "data_manager": _t("Data manager"),
        "monitor": _t("Monitor"),
    }
    return names.get(code, code)


def action_name(action: str) -> str:
    names = {
        "insert": _t("Entered"),
        "update": _t("Changed"),
        "delete": _t("Deleted"),
        "login": _t("Logged in"),
        "login_failed": _t("Failed login"),
        "logout": _t("Logged out"),
        "lockout": _t("Account locked"),
        "unlock": _t("Account unlocked"),
        "sign": _t("Signed"),
        "export": _t("Exported"),
        "import": _t("Imported"),
        "config": _t("Setting changed"),
        "clock_warning": _t("Clock warning"),
    }
    return names.get(action, action)


def form_status_name(status: str) -> str:
    names = {
        "not_started": _t("Not started"),
        "incomplete": _t("Incomplete"),
        "complete": _t("Complete"),
        "signed": _t("Signed"),
        "verified": _t("Source-data verified"),
    }
    return names.get(status, status)


def yes_no(value: object) -> str:
    return _t("Yes") if value else _t("No")

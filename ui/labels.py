"""Translated names of the codes the services return: treatment stages, roles, audit actions."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def stage_name(stage: str) -> str:
    names = {
        "screening": QCoreApplication.translate("Labels", "Screening"),
        "screen_failure": QCoreApplication.translate("Labels", "Screen failure"),
        "enrolled": QCoreApplication.translate("Labels", "Enrolled"),
        "unit_selected": QCoreApplication.translate("Labels", "Cord blood unit selected"),
        "conditioning": QCoreApplication.translate("Labels", "Conditioning"),
        "infused": QCoreApplication.translate("Labels", "Infused (Day 0)"),
        "engraftment": QCoreApplication.translate("Labels", "Engraftment"),
        "islet_eligibility": QCoreApplication.translate("Labels", "Islet eligibility"),
        "islet_transplanted": QCoreApplication.translate("Labels", "Islet transplanted"),
        "treatment_complete": QCoreApplication.translate("Labels", "Treatment complete"),
        "follow_up": QCoreApplication.translate("Labels", "Follow-up"),
        "completed": QCoreApplication.translate("Labels", "Completed"),
        "withdrawn": QCoreApplication.translate("Labels", "Withdrawn"),
        "died": QCoreApplication.translate("Labels", "Died"),
        "lost_to_follow_up": QCoreApplication.translate("Labels", "Lost to follow-up"),
    }
    return names.get(stage, stage)


ROLES = ("administrator", "investigator", "physician", "nurse", "data_manager", "monitor")


def role_name(role: object) -> str:
    code = str(getattr(role, "value", role))
    names = {
        "administrator": QCoreApplication.translate("Labels", "Administrator"),
        "investigator": QCoreApplication.translate("Labels", "Investigator"),
        "physician": QCoreApplication.translate("Labels", "Physician"),
        "nurse": QCoreApplication.translate("Labels", "Nurse"),
        "data_manager": QCoreApplication.translate("Labels", "Data manager"),
        "monitor": QCoreApplication.translate("Labels", "Monitor"),
    }
    return names.get(code, code)


def action_name(action: str) -> str:
    names = {
        "insert": QCoreApplication.translate("Labels", "Entered"),
        "update": QCoreApplication.translate("Labels", "Changed"),
        "delete": QCoreApplication.translate("Labels", "Deleted"),
        "login": QCoreApplication.translate("Labels", "Logged in"),
        "login_failed": QCoreApplication.translate("Labels", "Failed login"),
        "logout": QCoreApplication.translate("Labels", "Logged out"),
        "reauthenticated": QCoreApplication.translate("Labels", "Password re-entered"),
        "account_locked": QCoreApplication.translate("Labels", "Account locked"),
        "account_unlocked": QCoreApplication.translate("Labels", "Account unlocked"),
        "user_created": QCoreApplication.translate("Labels", "User created"),
        "user_activated": QCoreApplication.translate("Labels", "User reactivated"),
        "user_deactivated": QCoreApplication.translate("Labels", "User deactivated"),
        "role_changed": QCoreApplication.translate("Labels", "Role changed"),
        "password_reset": QCoreApplication.translate("Labels", "Password reset"),
        "site_setup": QCoreApplication.translate("Labels", "Site set up"),
        "subject_created": QCoreApplication.translate("Labels", "Subject registered"),
        "identity_changed": QCoreApplication.translate("Labels", "Identity changed"),
        "sign": QCoreApplication.translate("Labels", "Signed"),
        "signature_invalidated": QCoreApplication.translate("Labels", "Signature invalidated"),
        "export": QCoreApplication.translate("Labels", "Exported"),
        "import": QCoreApplication.translate("Labels", "Imported"),
        "config_change": QCoreApplication.translate("Labels", "Setting changed"),
        "clock_behind": QCoreApplication.translate("Labels", "Clock warning"),
        "clock_backwards": QCoreApplication.translate("Labels", "Clock warning"),
        "clock_warning_shown": QCoreApplication.translate("Labels", "Clock warning shown"),
    }
    return names.get(action, action)


def form_status_name(status: str) -> str:
    names = {
        "not_started": QCoreApplication.translate("Labels", "Not started"),
        "incomplete": QCoreApplication.translate("Labels", "Incomplete"),
        "complete": QCoreApplication.translate("Labels", "Complete"),
        "signed": QCoreApplication.translate("Labels", "Signed"),
        "verified": QCoreApplication.translate("Labels", "Source-data verified"),
    }
    return names.get(status, status)


def yes_no(value: object) -> str:
    return (
        QCoreApplication.translate("Labels", "Yes")
        if value
        else QCoreApplication.translate("Labels", "No")
    )

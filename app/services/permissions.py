"""Who may do what: the one permission table of SeqTx (issue 2, point 2).

Every service checks its permission here with `require(user, Permission.X)`; screens ask `can()`
only to hide what the service would refuse anyway. Roles follow the trial's delegation log:
nurses enter observations but do not sign eligibility; monitors read, raise queries and
source-verify but change no data; administrators manage users but enter no clinical data.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from app.services.errors import PermissionDenied


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    INVESTIGATOR = "investigator"
    PHYSICIAN = "physician"
    NURSE = "nurse"
    DATA_MANAGER = "data_manager"
    MONITOR = "monitor"


class Permission(StrEnum):
    VIEW_SUBJECTS = "view_subjects"  # subject list and records, pseudonymised
    VIEW_PHI = "view_phi"  # name, hospital number, date of birth, guardian
    CREATE_SUBJECT = "create_subject"  # screening registration, enrolment
    ENTER_CLINICAL_DATA = "enter_clinical_data"  # save forms (observations, doses, labs)
    SIGN_ELIGIBILITY = "sign_eligibility"  # investigator sign-off of eligibility / islets
    SIGN_FORMS = "sign_forms"  # e-signature on a form ("reviewed", "approved")
    SELECT_UNIT = "select_unit"  # cord blood unit selection
    VERIFY_INFUSION = "verify_infusion"  # two-person bedside verification at Day 0
    RAISE_QUERY = "raise_query"
    ANSWER_QUERY = "answer_query"
    CLOSE_QUERY = "close_query"
    SOURCE_VERIFY = "source_verify"  # mark forms source-data verified
    PRINT_CRF = "print_crf"
    MANAGE_USERS = "manage_users"
    CHANGE_SETTINGS = "change_settings"
    EXPORT_SYNC = "export_sync"  # sync packages for the data center
    IMPORT_SYNC = "import_sync"  # acknowledgements, data-center key
    BACKUP = "backup"  # encrypted backup and restore
    VIEW_AUDIT = "view_audit"


P = Permission

_CLINICAL_READ = frozenset({P.VIEW_SUBJECTS, P.VIEW_AUDIT, P.PRINT_CRF})

PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.ADMINISTRATOR: frozenset(
            {
                P.VIEW_SUBJECTS,
                P.VIEW_AUDIT,
                P.MANAGE_USERS,
                P.CHANGE_SETTINGS,
                P.EXPORT_SYNC,
                P.IMPORT_SYNC,
                P.BACKUP,
            }
        ),
        Role.INVESTIGATOR: _CLINICAL_READ
        | {
            P.VIEW_PHI,
            P.CREATE_SUBJECT,
            P.ENTER_CLINICAL_DATA,
            P.SIGN_ELIGIBILITY,
            P.SIGN_FORMS,
            P.SELECT_UNIT,
            P.VERIFY_INFUSION,
            P.ANSWER_QUERY,
            P.EXPORT_SYNC,
        },
        Role.PHYSICIAN: _CLINICAL_READ
        | {
            P.VIEW_PHI,
            P.CREATE_SUBJECT,
            P.ENTER_CLINICAL_DATA,
            P.SIGN_FORMS,
            P.SELECT_UNIT,  # issue 4: "a physician selects the unit"
            P.VERIFY_INFUSION,
            P.ANSWER_QUERY,
        },
        Role.NURSE: _CLINICAL_READ
        | {P.VIEW_PHI, P.ENTER_CLINICAL_DATA, P.VERIFY_INFUSION, P.ANSWER_QUERY},
        Role.DATA_MANAGER: _CLINICAL_READ
        | {
            P.CREATE_SUBJECT,
            P.ENTER_CLINICAL_DATA,
            P.RAISE_QUERY,
            P.ANSWER_QUERY,
            P.CLOSE_QUERY,
            P.EXPORT_SYNC,
            P.IMPORT_SYNC,
        },
        # Monitors read source documents on site (hence PHI) but change no data.
        Role.MONITOR: _CLINICAL_READ | {P.VIEW_PHI, P.RAISE_QUERY, P.CLOSE_QUERY, P.SOURCE_VERIFY},
    }
)


class _HasRole(Protocol):
    @property
    def role(self) -> Role: ...


def can(role: Role | str, permission: Permission | str) -> bool:
    """Whether `role` holds `permission`; unknown roles hold nothing."""
    try:
        return Permission(permission) in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def require(user: _HasRole, permission: Permission) -> None:
    """Raise PermissionDenied unless the acting user's role holds `permission`."""
    if not can(user.role, permission):
        raise PermissionDenied(permission=permission.value, role=str(user.role))

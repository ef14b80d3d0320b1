"""Load and save one form of one subject's event: the only way clinical data is written.

All items of a form are saved in one transaction; values are checked against the study
definition (type, code list, hard range refused with the allowed range, soft range needs a
confirmation comment); the first save needs no reason, any later change does (ReasonRequired);
db/audit writes one audit row per changed item; a change invalidates the form's valid signatures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.services.auth import UserSession
from app.services.workspace import Workspace

# (item group OID, group repeat key, item OID), e.g. ("IG.CONDADM", "2", "IT.CM.DOSE_GIVEN").
ItemKey = tuple[str, str, str]

# Problem codes of ItemProblem.
NOT_A_NUMBER = "forms.not_a_number"
NOT_AN_INTEGER = "forms.not_an_integer"
BAD_DATE = "forms.bad_date"
BAD_TIME = "forms.bad_time"
BAD_BOOLEAN = "forms.bad_boolean"
NOT_IN_CODELIST = "forms.not_in_codelist"
TOO_LONG = "forms.too_long"
HARD_RANGE = "forms.hard_range"  # values: low, high
SOFT_RANGE = "forms.soft_range"  # values: low, high; confirm with a comment
UNKNOWN_ITEM = "forms.unknown_item"
DERIVED_ITEM = "forms.derived_item"  # written by the system, never typed
NOT_REPEATING = "forms.not_repeating"  # group repeat key other than "1" for a plain group


@dataclass(frozen=True)
class ItemProblem:
    key: ItemKey
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SignatureRow:
    printed_name: str
    meaning: str
    signed_at: datetime
    valid: bool
    invalidated_at: datetime | None
    username: str


@dataclass(frozen=True)
class FormSnapshot:
    subject_key: str
    event_oid: str
    repeat_key: str
    form_oid: str
    mdv_oid: str | None  # definition version the data was entered under (None: never saved)
    status: str  # "not_started" | "incomplete" | "complete"
    values: Mapping[ItemKey, str | None]
    signatures: tuple[SignatureRow, ...]
    updated_at: datetime | None
    sdv: bool = False


@dataclass(frozen=True)
class SaveResult:
    changed_items: int
    audit_rows: int
    invalidated_signatures: int = 0


def load_form(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
) -> FormSnapshot:
    """The stored values of one form (empty when never saved). Needs VIEW_SUBJECTS.

    Raises SubjectNotFound, UnknownForm, StudyNotAvailable.
    """
    raise NotImplementedError


def validate_values(
    ws: Workspace,
    form_oid: str,
    values: Mapping[ItemKey, str | None],
    confirmations: Mapping[ItemKey, str] | None = None,
) -> list[ItemProblem]:
    """Check values against the study definition without saving (for live feedback in forms).

    Values are strings as typed: numbers with "." decimals, dates ISO YYYY-MM-DD, times HH:MM,
    booleans "1"/"0", choices their code. None or "" means empty.
    """
    raise NotImplementedError


def save_form(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    values: Mapping[ItemKey, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
    complete: bool | None = None,
) -> SaveResult:
    """Save the given items of one form in one transaction (ENTER_CLINICAL_DATA).

    Items not in `values` are left as they are. Raises FormValidationFailed (values["problems"]:
    tuple of ItemProblem; soft-range values need an entry in `confirmations`), ReasonRequired
    (a saved value changes and `reason` is empty), SubjectNotFound, UnknownForm. `complete` sets the
    form status ("complete" / "incomplete"); None keeps it.
    """
    raise NotImplementedError

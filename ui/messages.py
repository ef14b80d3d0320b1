"""Turns the codes carried by service errors and findings into translated, user-facing sentences.

Services never return display text (ARCHITECTURE.md section 6): they raise errors and return findings
with a `code` (and `values`); this module is the one place that says them in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication


def _texts() -> dict[str, str]:
    # Built on each call so that a language switch takes effect at once.
    return {
        "auth.failed": QCoreApplication.translate(
            "Messages", "The username or password is not correct. Please try again."
        ),
        "auth.locked": QCoreApplication.translate(
            "Messages",
            "This account is locked after too many failed attempts. "
            "Ask an administrator to unlock it.",
        ),
        "auth.inactive": QCoreApplication.translate(
            "Messages",
            "This account has been deactivated. Ask an administrator if you still need access.",
        ),
        "auth.wrong_password": QCoreApplication.translate(
            "Messages", "The password is not correct."
        ),
        "key.wrong_recovery_code": QCoreApplication.translate(
            "Messages",
            "The recovery code does not open this database. Check each group and try again.",
        ),
        "key.not_available": QCoreApplication.translate(
            "Messages", "This workstation's keyring holds no key for this database."
        ),
        "key.keyring_unsuitable": QCoreApplication.translate(
            "Messages",
            "No secure keyring is available on this workstation. Use the recovery code, "
            "or run SeqTx in a desktop session that has a keyring.",
        ),
        "db.corrupt": QCoreApplication.translate(
            "Messages", "The database file is damaged. Do not continue; restore the latest backup."
        ),
        "db.exists": QCoreApplication.translate(
            "Messages", "A database already exists at this location."
        ),
        "password.too_short": QCoreApplication.translate(
            "Messages", "The password must have at least {min_length} characters."
        ),
        "password.too_long": QCoreApplication.translate(
            "Messages", "The password may have at most {max_length} characters."
        ),
        "password.common": QCoreApplication.translate(
            "Messages", "This password is on a list of common passwords. Choose another."
        ),
        "password.contains_username": QCoreApplication.translate(
            "Messages", "The password must not contain the username."
        ),
        "users.username_taken": QCoreApplication.translate(
            "Messages", "This username is already in use."
        ),
        "username_invalid": QCoreApplication.translate(
            "Messages", "A username uses letters, digits, dots, hyphens or underscores (2 to 64)."
        ),
        "auth.session_ended": QCoreApplication.translate(
            "Messages", "Your session has ended. Please log in again."
        ),
        "db.not_found": QCoreApplication.translate(
            "Messages", "There is no database at this location."
        ),
        "input.invalid": QCoreApplication.translate(
            "Messages", "The value entered for {field} is not acceptable."
        ),
        "subjects.not_found": QCoreApplication.translate("Messages", "This subject was not found."),
        "study.not_available": QCoreApplication.translate(
            "Messages", "The study definition is not loaded."
        ),
        "forms.unknown": QCoreApplication.translate(
            "Messages", "This form is not part of the study definition."
        ),
        "forms.invalid": QCoreApplication.translate(
            "Messages", "The form has {count} problem(s); nothing was saved."
        ),
        "signatures.nothing_to_sign": QCoreApplication.translate(
            "Messages", "The form has no saved data to sign."
        ),
        "service.failed": QCoreApplication.translate("Messages", "The action failed."),
        "users.not_found": QCoreApplication.translate("Messages", "This user no longer exists."),
        "users.last_administrator": QCoreApplication.translate(
            "Messages", "The last active administrator cannot be removed or demoted."
        ),
        "perm.denied": QCoreApplication.translate(
            "Messages", "Your role does not allow this action."
        ),
        "site_code_invalid": QCoreApplication.translate(
            "Messages", "A site code uses 2 to 8 capital letters or digits."
        ),
        "site_name_missing": QCoreApplication.translate("Messages", "Enter the name of the site."),
        "forms.reason_required": QCoreApplication.translate(
            "Messages", "A reason for the change is required."
        ),
        "ward.not_ready": QCoreApplication.translate(
            "Messages", "Not possible yet: information this step needs is still missing."
        ),
        "ward.signature_required": QCoreApplication.translate(
            "Messages",
            "This changes a signed form: the signer must sign it again with their password.",
        ),
        "ward.verification_refused": QCoreApplication.translate(
            "Messages", "Bedside verification refused. Nothing was recorded as infused."
        ),
        "queries.not_found": QCoreApplication.translate(
            "Messages", "This query no longer exists. Refresh the list."
        ),
        "queries.wrong_state": QCoreApplication.translate(
            "Messages", "This query has already moved on (answered or closed). Refresh the list."
        ),
        "queries.not_raiser": QCoreApplication.translate(
            "Messages", "Only the person who raised the query, or a data manager, can close it."
        ),
        "db.unknown_schema": QCoreApplication.translate(
            "Messages",
            "This database was written by a newer version of SeqTx. Install that version to open it.",
        ),
        "key.file_missing": QCoreApplication.translate(
            "Messages",
            "The key file beside the database (seqtx.key) is missing. Restore it from the backup.",
        ),
        "clock.behind": QCoreApplication.translate(
            "Messages",
            "This workstation's clock is earlier than the last recorded action ({last}). "
            "Please have the clock corrected; this has been recorded.",
        ),
    }


def text_for(code: str, values: Mapping[str, Any] | None = None) -> str:
    """The sentence for `code`, its {placeholders} filled from `values`."""
    template = _texts().get(code)
    if template is None:
        return QCoreApplication.translate("Messages", "The action failed (code: {code}).").format(
            code=code
        )
    try:
        return template.format(**(values or {}))
    except (KeyError, IndexError):
        return template


_CLASS_CODES = {"WrongKeyError": "key.wrong_recovery_code"}


def _policy_limits() -> dict[str, int]:
    from app.services.passwords import DEFAULT_MIN_LENGTH, MAX_LENGTH

    return {"min_length": DEFAULT_MIN_LENGTH, "max_length": MAX_LENGTH}


def error_text(exc: BaseException) -> str:
    """A translated sentence for a service error; never the raw exception text (it may be English)."""
    code = getattr(exc, "code", None) or _CLASS_CODES.get(type(exc).__name__)
    values = getattr(exc, "values", None)
    if code == "password.rejected" and isinstance(values, Mapping):
        return "\n".join(problem_texts(values.get("problems"), **_policy_limits()))
    if code == "ward.transition_refused" and isinstance(values, Mapping):
        from ui.ward.codes import code_text  # the stage rules' reasons, one by one

        reasons = "; ".join(code_text(str(r)) for r in values.get("reasons") or ())
        return QCoreApplication.translate("Messages", "Not possible yet: %1").replace("%1", reasons)
    if isinstance(code, str):
        return text_for(code, values if isinstance(values, Mapping) else None)
    return QCoreApplication.translate(
        "Messages", "An unexpected error occurred ({kind}). The action was not completed."
    ).format(kind=type(exc).__name__)


def problem_texts(problems: Any, **context: Any) -> list[str]:
    """Sentences for findings (objects with `code`/`values`, or bare codes); `context` fills gaps."""
    texts = []
    for problem in problems or ():
        code = getattr(problem, "code", problem)
        values = getattr(problem, "values", None)
        merged = {**context, **(values if isinstance(values, Mapping) else {})}
        texts.append(text_for(str(code), merged))
    return texts

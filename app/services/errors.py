"""Typed service errors: each carries a stable `code` the UI translates and PHI-free `values`.

The English message (str(exc)) is for logs and the command line only; it never contains PHI
(names, hospital numbers, dates of birth). Screens show `ui.messages.error_text(exc)` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar


class ServiceError(Exception):
    """Base of every expected failure of a use case. `code` e.g. "auth.failed"."""

    code: ClassVar[str] = "service.failed"
    message: ClassVar[str] = "the action failed"

    def __init__(self, message: str | None = None, **values: Any) -> None:
        self.values: Mapping[str, Any] = MappingProxyType(dict(values))
        super().__init__(message or self.message.format(**values))


class PermissionDenied(ServiceError):
    code = "perm.denied"
    message = "your role does not allow this action ({permission})"


class LoginFailed(ServiceError):
    """Same code and message for an unknown user and a wrong password (no user enumeration)."""

    code = "auth.failed"
    message = "the username or password is not correct"


class WrongPassword(ServiceError):
    """Re-authentication (idle unlock, signature) with a wrong password."""

    code = "auth.wrong_password"
    message = "the password is not correct"


class AccountLocked(ServiceError):
    code = "auth.locked"
    message = "the account is locked after too many failed attempts; an administrator can unlock it"


class AccountInactive(ServiceError):
    code = "auth.inactive"
    message = "the account has been deactivated"


class SessionEnded(ServiceError):
    """The acting user no longer exists, was deactivated or locked since logging in."""

    code = "auth.session_ended"
    message = "the session has ended; log in again"


class PasswordRejected(ServiceError):
    """`values["problems"]` holds the policy codes from passwords.check_password_policy."""

    code = "password.rejected"
    message = "the password does not meet the policy: {problems}"


class KeyNotAvailable(ServiceError):
    code = "key.not_available"
    message = "this workstation's keyring holds no key for this database; use the recovery code"


class KeyringUnsuitable(ServiceError):
    code = "key.keyring_unsuitable"
    message = "no secure keyring is available here; use the recovery code"


class WrongRecoveryCode(ServiceError):
    code = "key.wrong_recovery_code"
    message = "the recovery code does not open this database"


class KeyFileMissing(ServiceError):
    """The key file beside the database (needed for the recovery code) is missing or damaged."""

    code = "key.file_missing"
    message = "the key file beside the database is missing or damaged"


class DatabaseNotFound(ServiceError):
    code = "db.not_found"
    message = "no database at {path}"


class DatabaseExists(ServiceError):
    code = "db.exists"
    message = "a database already exists at this location"


class DatabaseCorrupt(ServiceError):
    code = "db.corrupt"
    message = "the database file is damaged; restore the latest backup"


class UnknownSchema(ServiceError):
    """The file was made by a newer SeqTx, or is not a SeqTx database."""

    code = "db.unknown_schema"
    message = "this database was made by a newer version of SeqTx or is not a SeqTx database"


class InvalidInput(ServiceError):
    """A field value is not acceptable; `values["field"]` names it, `values["problem"]` says why."""

    code = "input.invalid"
    message = "invalid {field}: {problem}"


class UsernameTaken(ServiceError):
    code = "users.username_taken"
    message = "this username is already in use"


class UserNotFound(ServiceError):
    code = "users.not_found"
    message = "no such user"


class LastAdministrator(ServiceError):
    code = "users.last_administrator"
    message = "the last active administrator cannot be deactivated or demoted"


class SubjectNotFound(ServiceError):
    code = "subjects.not_found"
    message = "no subject {subject_key}"


class StudyNotAvailable(ServiceError):
    code = "study.not_available"
    message = "the study definition is not available: {detail}"


class UnknownForm(ServiceError):
    """The event/form/item is not in the study definition (or the form not in that event)."""

    code = "forms.unknown"
    message = "not in the study definition: {what}"


class FormValidationFailed(ServiceError):
    """`values["problems"]` is a tuple of forms.ItemProblem; nothing was saved."""

    code = "forms.invalid"
    message = "the form has {count} problem(s); nothing was saved"


class ReasonRequired(ServiceError):
    code = "forms.reason_required"
    message = "a reason for the change is required"


class NothingToSign(ServiceError):
    code = "signatures.nothing_to_sign"
    message = "the form has no saved data to sign"

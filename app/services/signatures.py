"""Electronic signatures on forms (21 CFR Part 11 style): password re-entry, a meaning, the hash
of the signed content; any later change to the form invalidates the signature (visibly).
"""

from __future__ import annotations

from app.services.auth import UserSession
from app.services.forms import SignatureRow
from app.services.workspace import Workspace

# Meanings a signer picks; "eligibility_confirmed" needs SIGN_ELIGIBILITY, others SIGN_FORMS.
MEANINGS = ("authored", "reviewed", "approved_as_investigator", "eligibility_confirmed")


def sign_form(
    ws: Workspace,
    user: UserSession,
    password: str,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    meaning: str,
) -> SignatureRow:
    """Re-authenticate, then store a signature with the sha256 of the form's canonical content.

    Raises WrongPassword, AccountLocked, PermissionDenied, NothingToSign, InvalidInput (meaning).
    """
    raise NotImplementedError


def form_signatures(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
) -> list[SignatureRow]:
    """All signatures of the form, oldest first, valid or invalidated."""
    raise NotImplementedError

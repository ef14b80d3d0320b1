"""Electronic signatures on forms (21 CFR Part 11 style): password re-entry, a meaning, the hash
of the signed content; any later change to the form invalidates the signature (visibly).
"""

from __future__ import annotations

from app.services._records import content_hash, find_form, form_definition, subject_by_key
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession, reauthenticate
from app.services.errors import InvalidInput, NothingToSign
from app.services.forms import SignatureRow, signature_row, signatures_of
from app.services.permissions import Permission
from app.services.workspace import Workspace
from db.models import Signature

# Meanings a signer picks; "eligibility_confirmed" needs SIGN_ELIGIBILITY, others SIGN_FORMS.
MEANINGS = ("authored", "reviewed", "approved_as_investigator", "eligibility_confirmed")
ELIGIBILITY_MEANINGS = frozenset({"eligibility_confirmed"})


def _permission_for(meaning: str) -> Permission:
    return Permission.SIGN_ELIGIBILITY if meaning in ELIGIBILITY_MEANINGS else Permission.SIGN_FORMS


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
    authenticate_signer(ws, user, password, meaning)
    return store_signature(ws, user, subject_key, event_oid, repeat_key, form_oid, meaning)


def authenticate_signer(ws: Workspace, user: UserSession, password: str, meaning: str) -> None:
    """The checks of a signature before anything is written: meaning, permission, password.

    A service that saves a form and signs it in one action calls this first, so a wrong
    password changes nothing, then `store_signature` after the save.
    """
    if meaning not in MEANINGS:
        raise InvalidInput(field="meaning", problem="one of " + ", ".join(MEANINGS))
    # Check the permission before asking the password, so a refused role burns no attempt.
    with ws.db.session() as session:
        acting_user(session, user.user_id, _permission_for(meaning))
    reauthenticate(ws, user, password)


def store_signature(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    meaning: str,
) -> SignatureRow:
    """The signature row of a signer already authenticated (`authenticate_signer`)."""
    form_definition(ws.require_study(), event_oid, form_oid)
    with unit_of_work(ws, user.user_id) as session:
        signer = acting_user(session, user.user_id, _permission_for(meaning))
        subject = subject_by_key(session, subject_key)
        form = find_form(session, subject, event_oid, repeat_key, form_oid)
        if form is None or not any(i.value is not None for i in form.items):
            raise NothingToSign()
        digest = content_hash(subject_key, event_oid, repeat_key, form_oid, list(form.items))
        signature = Signature(
            form_data_id=form.id,
            user_id=signer.id,
            printed_name=signer.full_name,
            meaning=meaning,
            signed_at=ws.clock.now(),
            content_hash=digest,
            valid=True,
        )
        session.add(signature)
        session.flush()  # db/audit writes the "sign" row with meaning and hash
        return signature_row(signature, digest)


def form_signatures(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
) -> list[SignatureRow]:
    """All signatures of the form, oldest first, valid or invalidated."""
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        subject = subject_by_key(session, subject_key)
        form = find_form(session, subject, event_oid, repeat_key, form_oid)
        if form is None:
            return []
        current = content_hash(subject_key, event_oid, repeat_key, form_oid, list(form.items))
        return [signature_row(s, current) for s in signatures_of(form)]

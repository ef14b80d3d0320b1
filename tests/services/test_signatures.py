"""E-signatures: password re-entry, meaning, content hash; a later change invalidates (point 5)."""

from __future__ import annotations

import hashlib

import pytest

from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.errors import InvalidInput, NothingToSign, PermissionDenied, WrongPassword
from app.services.forms import load_form, save_form
from app.services.permissions import Role
from app.services.signatures import form_signatures, sign_form
from app.services.subjects import subject_overview
from app.services.workspace import Workspace

from .conftest import STAFF_PASSWORD

WEIGHT = ("IG.VS", "1", "IT.VS.WEIGHT")


def _fill(ws: Workspace, user: UserSession, key: str) -> None:
    save_form(ws, user, key, "SE.SCREEN", "", "F.VS", {WEIGHT: "21.5"})


def test_signing_stores_the_manifestation_and_the_content_hash(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    investigator = staff[Role.INVESTIGATOR]
    _fill(ws, staff[Role.NURSE], subject_key)
    row = sign_form(
        ws,
        investigator,
        STAFF_PASSWORD,
        subject_key,
        "SE.SCREEN",
        "",
        "F.VS",
        "approved_as_investigator",
    )
    assert (row.printed_name, row.meaning, row.valid) == (
        "Test investigator",
        "approved_as_investigator",
        True,
    )
    sign_rows = [
        r for r in audit_rows(ws, investigator, path_prefix=subject_key) if r.action == "sign"
    ]
    assert len(sign_rows) == 1
    digest = sign_rows[0].new_value.split()[-1]  # type: ignore[union-attr]
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest != hashlib.sha256(b"").hexdigest()


def test_a_later_change_invalidates_the_signature_visibly(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    nurse, investigator = staff[Role.NURSE], staff[Role.INVESTIGATOR]
    _fill(ws, nurse, subject_key)
    sign_form(ws, investigator, STAFF_PASSWORD, subject_key, "SE.SCREEN", "", "F.VS", "reviewed")
    result = save_form(
        ws,
        nurse,
        subject_key,
        "SE.SCREEN",
        "",
        "F.VS",
        {WEIGHT: "22.5"},
        reason="transcription error",
    )
    assert result.invalidated_signatures == 1
    (signature,) = form_signatures(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS")
    assert not signature.valid and signature.invalidated_at is not None
    assert not load_form(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS").signatures[0].valid
    screening = next(
        e for e in subject_overview(ws, nurse, subject_key).events if e.event_oid == "SE.SCREEN"
    )
    assert screening.forms[0].signature_invalidated and not screening.forms[0].signed
    actions = [r.action for r in audit_rows(ws, investigator, path_prefix=subject_key)]
    assert "signature_invalidated" in actions
    # Signing again after the change gives a valid signature beside the invalidated one.
    sign_form(ws, investigator, STAFF_PASSWORD, subject_key, "SE.SCREEN", "", "F.VS", "reviewed")
    assert [s.valid for s in form_signatures(ws, nurse, subject_key, "SE.SCREEN", "", "F.VS")] == [
        False,
        True,
    ]


def test_wrong_password_does_not_sign(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    _fill(ws, staff[Role.NURSE], subject_key)
    with pytest.raises(WrongPassword):
        sign_form(
            ws,
            staff[Role.INVESTIGATOR],
            "not my passphrase at all",
            subject_key,
            "SE.SCREEN",
            "",
            "F.VS",
            "reviewed",
        )
    assert form_signatures(ws, staff[Role.NURSE], subject_key, "SE.SCREEN", "", "F.VS") == []


def test_nurses_do_not_sign_eligibility_and_physicians_do_not_either(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    _fill(ws, staff[Role.NURSE], subject_key)
    for role in (Role.NURSE, Role.PHYSICIAN, Role.MONITOR):
        with pytest.raises(PermissionDenied):
            sign_form(
                ws,
                staff[role],
                STAFF_PASSWORD,
                subject_key,
                "SE.SCREEN",
                "",
                "F.VS",
                "eligibility_confirmed",
            )
    sign_form(
        ws,
        staff[Role.INVESTIGATOR],
        STAFF_PASSWORD,
        subject_key,
        "SE.SCREEN",
        "",
        "F.VS",
        "eligibility_confirmed",
    )


def test_an_empty_form_or_an_unknown_meaning_cannot_be_signed(
    ws: Workspace, staff: dict[Role, UserSession], subject_key: str
) -> None:
    investigator = staff[Role.INVESTIGATOR]
    with pytest.raises(NothingToSign):
        sign_form(
            ws, investigator, STAFF_PASSWORD, subject_key, "SE.SCREEN", "", "F.VS", "reviewed"
        )
    with pytest.raises(InvalidInput):
        sign_form(ws, investigator, STAFF_PASSWORD, subject_key, "SE.SCREEN", "", "F.VS", "because")

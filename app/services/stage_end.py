"""End of study: completed, withdrawn, died or lost to follow-up, with reason and date (F.EOS of
SE.EOS), signed by an investigator, and the matching terminal stage (app.domain.stages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.stages import Stage
from app.services.auth import UserSession
from app.services.errors import InvalidInput
from app.services.forms import ItemKey, save_form
from app.services.signatures import authenticate_signer, store_signature
from app.services.stage_facts import advance_stage, precheck
from app.services.workspace import Workspace

EVENT, FORM = "SE.EOS", "F.EOS"
OUTCOMES = {
    "COMPLETED": Stage.COMPLETED,
    "WITHDRAWN": Stage.WITHDRAWN,
    "DIED": Stage.DIED,
    "LOST": Stage.LOST_TO_FOLLOW_UP,
}


@dataclass(frozen=True)
class EndOfStudy:
    status: str  # CL.EOSSTAT: COMPLETED | WITHDRAWN | DIED | LOST
    on: date
    reason: str
    withdrawn_by: str | None = None  # CL.WDBY, for WITHDRAWN
    death_cause: str | None = None  # CL.DTHCAUSE, for DIED
    last_contact: date | None = None  # for LOST


def record_end_of_study(
    ws: Workspace, user: UserSession, password: str, subject_key: str, end: EndOfStudy
) -> str:
    """Store F.EOS, sign it ("approved_as_investigator") and move to the terminal stage.

    Completion needs every follow-up visit done or missed: TransitionRefused before anything is
    written otherwise. Returns the new stage.
    """
    if end.status not in OUTCOMES:
        raise InvalidInput(field="status", problem="one of " + ", ".join(OUTCOMES))
    if not end.reason.strip():
        raise InvalidInput(field="reason", problem="required")
    assume = {
        "COMPLETED": {"end_of_study_signed": True},
        "WITHDRAWN": {"withdrawal_recorded": True},
        "DIED": {"death_recorded": True},
        "LOST": {"lost_to_follow_up_recorded": True},
    }[end.status]
    precheck(ws, subject_key, OUTCOMES[end.status].value, **assume)
    # The password before the save: a wrong one leaves nothing written (and unsigned).
    authenticate_signer(ws, user, password, "approved_as_investigator")
    g = ("IG.EOS", "1")
    values: dict[ItemKey, str | None] = {
        (*g, "IT.DS.EOS_STATUS"): end.status,
        (*g, "IT.DS.EOS_DTC"): end.on.isoformat(),
        (*g, "IT.DS.EOS_REASON"): end.reason.strip(),
    }
    if end.withdrawn_by:
        values[(*g, "IT.DS.WD_BY")] = end.withdrawn_by
    if end.death_cause:
        values[(*g, "IT.DS.DEATH_CAUSE")] = end.death_cause
        values[(*g, "IT.DS.DEATH_DTC")] = end.on.isoformat()
    if end.last_contact:
        values[(*g, "IT.DS.LAST_CONTACT")] = end.last_contact.isoformat()
    save_form(ws, user, subject_key, EVENT, "", FORM, values, complete=True)
    store_signature(ws, user, subject_key, EVENT, "", FORM, "approved_as_investigator")
    return advance_stage(ws, user, subject_key, OUTCOMES[end.status].value).stage

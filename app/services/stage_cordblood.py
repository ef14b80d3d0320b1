"""Cord blood unit: candidate units (one SE.CBU repeat each), their HLA match (x/6, x/8) and cell
doses per kg with warnings and DIN validity, the physician's selection (double unit possible,
password-confirmed) and receipt.

Rules: app.domain.hla, app.domain.cordblood, app.domain.isbt128. Match and dose items are derived
(app.services.derived) so the CRF and the export carry them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain import cordblood, hla, isbt128
from app.domain.schedule import ward_today
from app.services._records import subject_by_key
from app.services._uow import acting_user
from app.services.auth import UserSession
from app.services.errors import InvalidInput
from app.services.forms import ItemKey, save_form
from app.services.permissions import Permission
from app.services.signatures import authenticate_signer, store_signature
from app.services.stage_common import SubjectData, as_float, load_subject_data, rule_params
from app.services.workspace import Workspace

CBU_EVENT, CBU_FORM = "SE.CBU", "F.CBU"
SEL_EVENT, SEL_FORM, REC_FORM = "SE.CBUSEL", "F.CBUSEL", "F.CBUREC"


@dataclass(frozen=True)
class UnitAssessment:
    repeat_key: str  # SE.CBU repeat of the candidate
    din: str | None
    din_code: str  # "isbt128.din.ok" or the parse error code
    match6: str | None  # "5/6"
    match8: str | None  # "6/8"
    hla_warnings: tuple[str, ...]  # "hla.warn.*"
    tnc_e7_per_kg: float | None
    cd34_e5_per_kg: float | None
    dose_code: str | None  # "cordblood.dose.adequate" | ".low"
    viability_code: str | None  # "cordblood.viability.ok" | ".low"
    selected: bool
    rules: tuple[str, ...]  # rule@version of every figure


@dataclass(frozen=True)
class UnitChoice:
    assessments: tuple[UnitAssessment, ...]
    suggestion_code: str  # "cordblood.single_unit" | ".consider_double_unit" | ".no_adequate_unit"
    suggested: tuple[str, ...]  # DINs


def _load(ws: Workspace, user: UserSession, subject_key: str) -> SubjectData:
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        return load_subject_data(session, subject_by_key(session, subject_key))


def save_candidate_unit(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    repeat_key: str | None,
    values: Mapping[ItemKey, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> str:
    """Add (repeat_key None) or update a candidate unit (F.CBU items); returns its repeat key.
    A value outside its soft range (e.g. TNC) needs a comment in confirmations[item key]."""
    from app.services import derived

    if repeat_key is None:
        data = _load(ws, user, subject_key)
        used = [int(k) for k in data.repeats(CBU_EVENT) if k.isdigit()]
        repeat_key = str(max(used, default=0) + 1)
    save_form(ws, user, subject_key, CBU_EVENT, repeat_key, CBU_FORM, values, reason, confirmations)
    derived.recompute(ws, subject_key)
    return repeat_key


def assessments_from(data: SubjectData, ws: Workspace) -> UnitChoice:
    from app.services.derived import _latest_weight, hla_typing

    hla_p = rule_params(ws, hla.HlaParams, "cordblood")
    cb_p = rule_params(ws, cordblood.CordBloodParams, "cordblood")
    din_p = rule_params(ws, isbt128.Isbt128Params, "cordblood")
    recipient = hla_typing(data, "R", "SE.ENROL", "")
    weight = _latest_weight(data)
    selected = {
        (data.row(SEL_EVENT, "", SEL_FORM, g).get("IT.CBS.DIN") or "").upper()
        for g in data.group_rows(SEL_EVENT, "", SEL_FORM, "IG.CBUSEL.UNIT")
    }
    out = []
    candidates = []
    for key in data.repeats(CBU_EVENT, CBU_FORM):
        v = data.row(CBU_EVENT, key, CBU_FORM, "1")
        din = v.get("IT.CB.DIN")
        din_code = "isbt128.din.missing"
        if din:
            din_code = isbt128.parse_din(din + (v.get("IT.CB.DIN_CHECK") or ""), din_p).code
        unit = hla_typing(data, "U", CBU_EVENT, key)
        m6 = hla.match_six_locus(recipient, unit, hla_p)
        m8 = hla.match_eight_allele(recipient, unit, hla_p)
        tnc, cd34 = as_float(v.get("IT.CB.TNC")), as_float(v.get("IT.CB.CD34"))
        dose = None
        if tnc and weight:
            dose = cordblood.cell_dose(
                tnc * cordblood.TNC_SCALE,
                None if cd34 is None else cd34 * cordblood.CD34_SCALE,
                weight,
                cb_p,
            )
            candidates.append(cordblood.CandidateUnit(din or key, tnc * cordblood.TNC_SCALE))
        viab = as_float(v.get("IT.CB.VIAB_POST"))
        viability = None if viab is None else cordblood.postthaw_viability(viab, cb_p).code
        out.append(
            UnitAssessment(
                key,
                din,
                din_code,
                m6.label,
                m8.label,
                tuple(dict.fromkeys((*m6.warnings, *m8.warnings))),
                None if dose is None else dose.tnc_e7_per_kg,
                None if dose is None else dose.cd34_e5_per_kg,
                None if dose is None else dose.code,
                viability,
                (din or "").upper() in selected,
                (m6.rule.label(), m8.rule.label(), f"cordblood.tnc_dose@{cb_p.version}"),
            )
        )
    suggestion_code = "cordblood.no_adequate_unit"
    suggested: tuple[str, ...] = ()
    if candidates and weight:
        s = cordblood.suggest_units(candidates, weight, cb_p)
        suggestion_code, suggested = s.code, s.unit_ids
    return UnitChoice(tuple(out), suggestion_code, tuple(suggested))


def unit_matches(ws: Workspace, user: UserSession, subject_key: str) -> UnitChoice:
    """Every candidate with match, doses per kg (latest weight), warnings, DIN validity."""
    return assessments_from(_load(ws, user, subject_key), ws)


def select_units(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    dins: Sequence[str],
    password: str,
    reason: str | None = None,
    rationale: str | None = None,
) -> UnitChoice:
    """Select one or two candidate units (SELECT_UNIT) and sign the selection with the password.

    `rationale` is the physician's reason for this choice (IT.CBS.REASON, on the form and the
    CRF); `reason` is the audit reason for change when a saved selection is changed.

    Raises InvalidInput (unknown DIN, more than two, an invalid DIN), PermissionDenied,
    WrongPassword. Advances the subject to "unit_selected".
    """
    from app.services.stage_facts import auto_advance

    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.SELECT_UNIT)
    if not 1 <= len(dins) <= 2:
        raise InvalidInput(field="dins", problem="one or two units")
    choice = unit_matches(ws, user, subject_key)
    known = {(a.din or "").upper(): a for a in choice.assessments}
    for din in dins:
        a = known.get(din.upper())
        if a is None:
            raise InvalidInput(field="dins", problem="not a candidate unit")
        if a.din_code != "isbt128.din.ok":
            raise InvalidInput(field="dins", problem=a.din_code)
    today = ward_today(ws.clock).isoformat()
    values: dict[ItemKey, str | None] = {
        ("IG.CBUSEL", "1", "IT.CBS.DTC"): today,
        ("IG.CBUSEL", "1", "IT.CBS.N_FOUND"): str(len(choice.assessments)),
        ("IG.CBUSEL", "1", "IT.CBS.STRATEGY"): "DOUBLE" if len(dins) == 2 else "SINGLE",
    }
    if rationale is not None and rationale.strip():
        values[("IG.CBUSEL", "1", "IT.CBS.REASON")] = rationale.strip()
    for n, din in enumerate(dins, start=1):
        values[("IG.CBUSEL.UNIT", str(n), "IT.CBS.DIN")] = din.upper()
        values[("IG.CBUSEL.UNIT", str(n), "IT.CBS.ROLE")] = "FIRST" if n == 1 else "SECOND"
    # The password before the save: a wrong one leaves no unsigned selection behind.
    authenticate_signer(ws, user, password, "approved_as_investigator")
    save_form(ws, user, subject_key, SEL_EVENT, "", SEL_FORM, values, reason, complete=True)
    store_signature(ws, user, subject_key, SEL_EVENT, "", SEL_FORM, "approved_as_investigator")
    auto_advance(ws, user, subject_key)
    return unit_matches(ws, user, subject_key)


def record_receipt(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    din: str,
    values: Mapping[str, str | None],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> None:
    """Receipt of a selected unit (F.CBUREC row per DIN; keys are IT.CBR.* item OIDs). A value
    outside its soft range (the shipper temperature) needs a comment in confirmations[item key]
    (the key of the problem FormValidationFailed names: the IG.CBUREC row is chosen here)."""
    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.ENTER_CLINICAL_DATA)
        data = load_subject_data(session, subject_by_key(session, subject_key))
    rows = data.group_rows(SEL_EVENT, "", REC_FORM, "IG.CBUREC")
    g = next(
        (k for k in rows if data.row(SEL_EVENT, "", REC_FORM, k).get("IT.CBR.DIN") == din.upper()),
        str(max((int(k) for k in rows), default=0) + 1),
    )
    out: dict[ItemKey, str | None] = {("IG.CBUREC", g, "IT.CBR.DIN"): din.upper()}
    out.update({("IG.CBUREC", g, k): v for k, v in values.items()})
    save_form(ws, user, subject_key, SEL_EVENT, "", REC_FORM, out, reason, confirmations)

"""Infusion Day 0: two-person bedside verification of the cord blood bag, then the infusion record
(Day 0 set, so study days follow), the vital-sign grid and the DMSO load per kg.

Verification (DOMAIN.md 1.3, 2.5): the scanned DIN must carry a valid ISO 7064 Mod 37-2 check
character (app.domain.isbt128) and match a unit selected for the subject; the subject's identity
is confirmed; a second person (another active user with VERIFY_INFUSION) confirms with their
password. Every refusal is audited ("bedside_refused") before the error is raised; a success is
audited ("bedside_verified") and only then can the infusion be recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain import isbt128
from app.domain.schedule import ward_now
from app.services._records import subject_by_key
from app.services._uow import acting_user, unit_of_work
from app.services.auth import UserSession
from app.services.errors import FormValidationFailed, ServiceError
from app.services.forms import ItemKey, save_form, validate_values
from app.services.permissions import Permission
from app.services.stage_common import (
    NotReady,
    VerificationRefused,
    as_float,
    audited,
    load_subject_data,
    rule_params,
)
from app.services.workspace import Workspace
from db.audit import record_event

EVENT, FORM = "SE.DAY0", "F.INFUS"
# The IG.INFUS.VS item of each VitalSignRow field.
VITAL_SIGN_ITEMS = {"time": "IT.INF.VS_DTC", "temp": "IT.INF.VS_TEMP", "hr": "IT.INF.VS_HR",
                    "sbp": "IT.INF.VS_SBP", "dbp": "IT.INF.VS_DBP", "rr": "IT.INF.VS_RR",
                    "spo2": "IT.INF.VS_SPO2"}  # fmt: skip
REFUSED_ACTION = "bedside_refused"
VERIFIED_ACTION = "bedside_verified"


@dataclass(frozen=True)
class VerificationResult:
    verified: bool
    din: str  # the 13-character DIN as verified
    unit_role: str | None  # CL.CBROLE of the matched selected unit ("FIRST", "SECOND")
    first_user: str
    second_user: str


@dataclass(frozen=True)
class VitalSignRow:
    point: str  # CL.VSPOINT: BASELINE | DURING | AFTER
    minute: int  # minutes from the start of the infusion (0, 15, 30, ...)
    time: str | None = None  # ISO datetime
    temp: float | None = None
    hr: int | None = None
    sbp: int | None = None
    dbp: int | None = None
    rr: int | None = None
    spo2: int | None = None


@dataclass(frozen=True)
class InfusionRecord:
    start: str  # ISO datetime; its date is Day 0
    end: str | None
    weight_kg: float
    total_volume_ml: float
    dmso_percent: float
    units: Sequence[Mapping[str, str]] = ()  # per unit: IT.INF.* item OID -> value (DIN first)
    rate_ml_h: float | None = None


@dataclass(frozen=True)
class InfusionView:
    verified: bool
    start: str | None
    end: str | None
    dmso_g_per_kg: float | None
    dmso_code: str | None  # "infusion.dmso.ok" | ".over_limit"
    vital_signs: tuple[VitalSignRow, ...]


def _refuse(ws: Workspace, user: UserSession, subject_key: str, reason: str, din: str) -> None:
    """Audit the refusal (its own committed transaction), then raise."""
    with unit_of_work(ws, user.user_id) as session:
        record_event(session, REFUSED_ACTION, f"{subject_key}/{EVENT}/{FORM}", new=din[:16],
                     reason=reason)  # fmt: skip
    raise VerificationRefused(reason=reason)


def selected_dins(ws: Workspace, subject_key: str) -> dict[str, str]:
    """DIN -> role of the units selected for the subject (F.CBUSEL rows)."""
    with ws.db.session() as session:
        data = load_subject_data(session, subject_by_key(session, subject_key))
    out = {}
    for g in data.group_rows("SE.CBUSEL", "", "F.CBUSEL", "IG.CBUSEL.UNIT"):
        row = data.row("SE.CBUSEL", "", "F.CBUSEL", g)
        if "IT.CBS.DIN" in row:
            out[row["IT.CBS.DIN"].upper()[:13]] = row.get("IT.CBS.ROLE", "FIRST")
    return out


def _carries_check(text: str, din: isbt128.Din, params: isbt128.Isbt128Params) -> bool:
    """A printed check character (14 or 16 characters), or flags 60-96 that encode it (JPAC)."""
    if len(text.lstrip("=")) % 2 == 0:
        return True
    offset = params.isbt128_flag_check_offset
    return din.flags is not None and offset <= int(din.flags) < offset + len(isbt128.ALPHABET)


def verify_bedside(
    ws: Workspace,
    first_user: UserSession,
    subject_key: str,
    scanned_din: str,
    identity_confirmed: bool,
    second_username: str,
    second_password: str,
) -> VerificationResult:
    """Two-person bedside check; raises VerificationRefused (values["reason"]: "bad_din",
    "bad_check_character", "din_mismatch", "identity_not_confirmed", "same_person",
    "unknown_user", "not_allowed", "wrong_password") after auditing it."""
    from app.services.stage_conditioning import check_second_person

    with ws.db.session() as session:
        acting_user(session, first_user.user_id, Permission.VERIFY_INFUSION)
        subject_by_key(session, subject_key)
    params = rule_params(ws, isbt128.Isbt128Params, "cordblood")
    parsed = isbt128.parse_din(scanned_din, params)
    din_text = "".join(scanned_din.split()).upper()
    if not parsed.ok or parsed.din is None:
        reason = "bad_check_character" if "check" in parsed.code else "bad_din"
        _refuse(ws, first_user, subject_key, reason, din_text)
        raise AssertionError  # unreachable: _refuse raises
    if not _carries_check(din_text, parsed.din, params):
        # The eye-readable check character (or the flags carrying it) must be part of the scan.
        _refuse(ws, first_user, subject_key, "bad_check_character", din_text)
    din = parsed.din.din
    selected = selected_dins(ws, subject_key)
    if din not in selected:
        _refuse(ws, first_user, subject_key, "din_mismatch", din)
    if not identity_confirmed:
        _refuse(ws, first_user, subject_key, "identity_not_confirmed", din)
    try:
        second = check_second_person(
            ws, first_user, second_username, second_password, Permission.VERIFY_INFUSION
        )
    except VerificationRefused as exc:
        _refuse(ws, first_user, subject_key, str(exc.values["reason"]), din)
        raise
    except ServiceError as exc:
        _refuse(ws, first_user, subject_key, exc.code.replace("auth.", ""), din)
        raise
    now = ward_now(ws.clock).replace(microsecond=0).isoformat()  # local, like typed Day 0 times
    values: dict[ItemKey, str | None] = {
        ("IG.INFUS.VERIF", "1", "IT.INF.VER_ID_OK"): "Y",
        ("IG.INFUS.VERIF", "1", "IT.INF.VER_DIN_OK"): "Y",
        ("IG.INFUS.VERIF", "1", "IT.INF.VER1_BY"): first_user.username,
        ("IG.INFUS.VERIF", "1", "IT.INF.VER1_DTC"): now,
        ("IG.INFUS.VERIF", "1", "IT.INF.VER2_BY"): second.username,
        ("IG.INFUS.VERIF", "1", "IT.INF.VER2_DTC"): now,
    }
    save_form(ws, first_user, subject_key, EVENT, "", FORM, values,
              reason="bedside verification repeated")  # fmt: skip
    with unit_of_work(ws, first_user.user_id) as session:
        record_event(session, VERIFIED_ACTION, f"{subject_key}/{EVENT}/{FORM}", new=din,
                     reason=f"second person {second.username}")  # fmt: skip
    return VerificationResult(True, din, selected[din], first_user.username, second.username)


def record_values(record: InfusionRecord) -> dict[ItemKey, str | None]:
    """The F.INFUS items of the infusion record (IG.INFUS, one IG.INFUS.UNIT row per unit)."""
    values: dict[ItemKey, str | None] = {
        ("IG.INFUS", "1", "IT.INF.START"): record.start,
        ("IG.INFUS", "1", "IT.INF.END"): record.end,
        ("IG.INFUS", "1", "IT.INF.WEIGHT"): f"{record.weight_kg:g}",
        ("IG.INFUS", "1", "IT.INF.VOLUME"): f"{record.total_volume_ml:g}",
        ("IG.INFUS", "1", "IT.INF.DMSO_PCT"): f"{record.dmso_percent:g}",
    }
    if record.rate_ml_h is not None:
        values[("IG.INFUS", "1", "IT.INF.RATE")] = f"{record.rate_ml_h:g}"
    for n, unit in enumerate(record.units, start=1):
        for item, value in unit.items():
            values[("IG.INFUS.UNIT", str(n), item)] = value
    return values


def record_infusion(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    record: InfusionRecord,
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> InfusionView:
    """Record the infusion (its start date is Day 0); refused (NotReady "bedside_verification")
    until the bedside verification succeeded. Advances the subject to "infused". A soft-range
    value (e.g. the weight) needs a comment in confirmations[item key] (FormValidationFailed)."""
    from app.services import derived
    from app.services.stage_facts import auto_advance

    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.ENTER_CLINICAL_DATA)
        if not audited(session, f"{subject_key}/{EVENT}", VERIFIED_ACTION):
            raise NotReady(missing="bedside_verification")
    values = record_values(record)
    save_form(ws, user, subject_key, EVENT, "", FORM, values, reason, confirmations)
    derived.recompute(ws, subject_key)
    auto_advance(ws, user, subject_key)
    return infusion_view(ws, user, subject_key)


def vital_sign_values(rows: Sequence[VitalSignRow]) -> dict[ItemKey, str | None]:
    """The F.INFUS items of the vital-sign rows: row n = IG.INFUS.VS[n]."""
    values: dict[ItemKey, str | None] = {}
    for n, row in enumerate(rows, start=1):
        base = ("IG.INFUS.VS", str(n))
        values[(*base, "IT.INF.VS_POINT")] = row.point
        values[(*base, "IT.INF.VS_MIN")] = str(row.minute)
        for name, item in VITAL_SIGN_ITEMS.items():
            value = getattr(row, name)
            if value is not None:
                values[(*base, item)] = str(value)
    return values


def save_vital_signs(
    ws: Workspace,
    user: UserSession,
    subject_key: str,
    rows: Sequence[VitalSignRow],
    reason: str | None = None,
    confirmations: Mapping[ItemKey, str] | None = None,
) -> InfusionView:
    """The timed vital-sign grid (baseline and every 15 minutes): row n = IG.INFUS.VS[n]. A value
    outside its soft range (e.g. SpO2 88 %) needs a comment in confirmations[(IG.INFUS.VS, n,
    item)]; outside the hard range it is refused (FormValidationFailed)."""
    values = vital_sign_values(rows)
    save_form(ws, user, subject_key, EVENT, "", FORM, values, reason, confirmations)
    return infusion_view(ws, user, subject_key)


def check_day0_values(
    ws: Workspace,
    record: InfusionRecord | None,
    rows: Sequence[VitalSignRow] | None,
    others: Mapping[ItemKey, str | None],
    confirmations: Mapping[ItemKey, str] | None = None,
) -> None:
    """Every problem of the Day 0 items a screen is about to save (the record, the vital signs,
    other F.INFUS items) as one FormValidationFailed, before any is written: a screen that saves
    them one after another then writes nothing when one part is refused or not confirmed."""
    values = dict(others)
    if record is not None:
        values.update(record_values(record))
    if rows is not None:
        values.update(vital_sign_values(rows))
    problems = validate_values(ws, FORM, values, confirmations)
    if problems:
        raise FormValidationFailed(count=len(problems), problems=tuple(problems))


def infusion_view(ws: Workspace, user: UserSession, subject_key: str) -> InfusionView:
    from app.domain import infusion as rules

    with ws.db.session() as session:
        acting_user(session, user.user_id, Permission.VIEW_SUBJECTS)
        verified = audited(session, f"{subject_key}/{EVENT}", VERIFIED_ACTION)
        data = load_subject_data(session, subject_by_key(session, subject_key))
    gkg = as_float(data.value("IT.INF.DMSO_GKG", EVENT))
    params = rule_params(ws, rules.InfusionParams, "infusion")
    code = None
    if gkg is not None:
        code = "infusion.dmso.over_limit" if gkg > params.dmso_max_g_per_kg else "infusion.dmso.ok"
    vs = []
    for g in data.group_rows(EVENT, "", FORM, "IG.INFUS.VS"):
        r = data.row(EVENT, "", FORM, g)
        vs.append(
            VitalSignRow(
                r.get("IT.INF.VS_POINT", "DURING"),
                int(r.get("IT.INF.VS_MIN", "0")),
                r.get("IT.INF.VS_DTC"),
                as_float(r.get("IT.INF.VS_TEMP")),
                _i(r.get("IT.INF.VS_HR")),
                _i(r.get("IT.INF.VS_SBP")),
                _i(r.get("IT.INF.VS_DBP")),
                _i(r.get("IT.INF.VS_RR")),
                _i(r.get("IT.INF.VS_SPO2")),
            )
        )
    return InfusionView(
        verified,
        data.value("IT.INF.START", EVENT),
        data.value("IT.INF.END", EVENT),
        gkg,
        code,
        tuple(vs),
    )


def _i(text: str | None) -> int | None:
    return None if text is None else int(text)

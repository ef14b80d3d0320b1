"""What the cord blood unit screen shows, fetched on the worker, and the texts of its codes.

`fetch_cord_blood` gathers, through the services, the candidate units (their stored F.CBU values
beside stage_cordblood.unit_matches' assessment), the recipient's HLA form, the selection and the
receipts. `preview_unit` is the same match and dose for a unit still being typed, computed by the
domain rules (app.domain.hla, app.domain.cordblood) with the recipient typing and weight the
service side returned; `din_entry` checks a DIN as scanned or typed (app.domain.isbt128). The
screen itself computes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from app.domain import cordblood, hla, isbt128

if TYPE_CHECKING:
    from app.services.auth import UserSession
    from app.services.workspace import Workspace

ItemKey = tuple[str, str, str]
# The form's HLA items per locus (F.HLAR "R_", F.CBU "U_"); the same naming app.services.derived
# reads, so a preview and the stored match see the same typings.
HLA_LOCI = {"A": ("A1", "A2"), "B": ("B1", "B2"), "C": ("C1", "C2"), "DRB1": ("DRB1_1", "DRB1_2")}
DIN_OK = "isbt128.din.ok"


def _t(text: str) -> str:
    return QCoreApplication.translate("CordBloodPage", text)


@dataclass(frozen=True)
class CandidateRow:
    """One candidate unit: the stored form values and the service's assessment of it."""

    repeat_key: str
    values: Mapping[ItemKey, str | None]  # F.CBU as stored
    assessment: Any  # app.services.stage_cordblood.UnitAssessment
    received: bool = False

    def value(self, item_oid: str) -> str | None:
        for group in ("IG.CBU", "IG.CBU.HLA"):
            found = self.values.get((group, "1", item_oid))
            if found is not None:
                return found
        return None

    def typing(self, locus: str) -> str:
        a, b = HLA_LOCI[locus]
        pair = [self.value(f"IT.HLA.U_{a}"), self.value(f"IT.HLA.U_{b}")]
        return " / ".join(p for p in pair if p)


@dataclass(frozen=True)
class CordBloodData:
    rows: tuple[CandidateRow, ...]
    suggestion_code: str
    suggested: tuple[str, ...]
    recipient: Mapping[ItemKey, str | None]  # F.HLAR as stored
    recipient_typing: Mapping[str, tuple[str | None, str | None]]
    weight_kg: float | None
    selected: tuple[str, ...]  # DINs, in role order
    receipts: Mapping[str, Mapping[str, str | None]]  # DIN -> IT.CBR.* values
    hla_params: Any
    dose_params: Any
    din_params: Any


def fetch_cord_blood(ws: Workspace, user: UserSession, subject_key: str) -> CordBloodData:
    """Runs on the worker: everything the screen shows, through the services."""
    from app.services import stage_cordblood as sc
    from app.services.derived import _latest_weight, hla_typing
    from app.services.forms import load_form
    from app.services.stage_common import rule_params

    choice = sc.unit_matches(ws, user, subject_key)
    recipient = load_form(ws, user, subject_key, "SE.ENROL", "", "F.HLAR").values
    selection = load_form(ws, user, subject_key, sc.SEL_EVENT, "", sc.SEL_FORM).values
    receipt_form = load_form(ws, user, subject_key, sc.SEL_EVENT, "", sc.REC_FORM).values
    selected = tuple(
        str(v).upper()
        for (group, _row, item), v in sorted(selection.items(), key=lambda kv: kv[0][1])
        if group == "IG.CBUSEL.UNIT" and item == "IT.CBS.DIN" and v
    )
    receipts: dict[str, dict[str, str | None]] = {}
    for (group, row, item), v in receipt_form.items():
        if group == "IG.CBUREC":
            receipts.setdefault(row, {})[item] = v
    by_din = {str(r.get("IT.CBR.DIN") or "").upper(): r for r in receipts.values()}
    rows = []
    for a in choice.assessments:
        values = load_form(ws, user, subject_key, sc.CBU_EVENT, a.repeat_key, sc.CBU_FORM).values
        rows.append(CandidateRow(a.repeat_key, values, a, (a.din or "").upper() in by_din))
    # The service's own loader (permission checked); weight and recipient typing as it sees them.
    data = sc._load(ws, user, subject_key)
    return CordBloodData(
        rows=tuple(rows),
        suggestion_code=choice.suggestion_code,
        suggested=choice.suggested,
        recipient=recipient,
        recipient_typing=hla_typing(data, "R", "SE.ENROL", ""),
        weight_kg=_latest_weight(data),
        selected=selected,
        receipts=by_din,
        hla_params=rule_params(ws, hla.HlaParams, "cordblood"),
        dose_params=rule_params(ws, cordblood.CordBloodParams, "cordblood"),
        din_params=rule_params(ws, isbt128.Isbt128Params, "cordblood"),
    )


@dataclass(frozen=True)
class UnitPreview:
    """Match and dose of a unit as typed (the domain rules, the same ones the service uses)."""

    match6: str | None
    match8: str | None
    tnc_e7_per_kg: float | None
    cd34_e5_per_kg: float | None
    warnings: tuple[str, ...]  # codes
    empty: bool = False  # nothing typed that a rule could use yet


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text.replace(",", "."))
    except ValueError:
        return None


def preview_unit(data: CordBloodData, values: Mapping[ItemKey, str | None]) -> UnitPreview:
    def get(item: str) -> str | None:
        for group in ("IG.CBU", "IG.CBU.HLA"):
            if values.get((group, "1", item)) is not None:
                return values[(group, "1", item)]
        return None

    unit = {
        locus: (get(f"IT.HLA.U_{a}"), get(f"IT.HLA.U_{b}")) for locus, (a, b) in HLA_LOCI.items()
    }
    if not any(v for pair in unit.values() for v in pair) and get("IT.CB.TNC") is None:
        return UnitPreview(None, None, None, None, (), empty=True)
    m6 = hla.match_six_locus(data.recipient_typing, unit, data.hla_params)
    m8 = hla.match_eight_allele(data.recipient_typing, unit, data.hla_params)
    warnings = list(dict.fromkeys((*m6.warnings, *m8.warnings)))
    tnc, cd34 = _number(get("IT.CB.TNC")), _number(get("IT.CB.CD34"))
    tnc_kg = cd34_kg = None
    if data.weight_kg is None:
        warnings.append("cordblood.weight_missing")
    elif tnc is not None and tnc > 0:
        dose = cordblood.cell_dose(
            tnc * cordblood.TNC_SCALE,
            None if cd34 is None else cd34 * cordblood.CD34_SCALE,
            data.weight_kg,
            data.dose_params,
        )
        tnc_kg, cd34_kg = dose.tnc_e7_per_kg, dose.cd34_e5_per_kg
        if dose.code != "cordblood.dose.adequate":
            warnings.append(dose.code)
    viability = _number(get("IT.CB.VIAB_POST"))
    if viability is not None:
        check = cordblood.postthaw_viability(viability, data.dose_params)
        if check.code != "cordblood.viability.ok":
            warnings.append(check.code)
    return UnitPreview(m6.label, m8.label, tnc_kg, cd34_kg, tuple(warnings))


def assessment_warnings(a: Any) -> tuple[str, ...]:
    """The warning codes of a service assessment, worst first (DIN, then HLA, dose, viability)."""
    codes: list[str] = []
    if a.din_code != DIN_OK:
        codes.append(a.din_code)
    codes += list(a.hla_warnings)
    if a.dose_code not in (None, "cordblood.dose.adequate"):
        codes.append(a.dose_code)
    if a.tnc_e7_per_kg is None:
        codes.append("cordblood.dose.unknown")
    if a.viability_code not in (None, "cordblood.viability.ok"):
        codes.append(a.viability_code)
    return tuple(codes)


# --- DIN as scanned or typed ---------------------------------------------------------------


@dataclass(frozen=True)
class DinEntry:
    ok: bool
    code: str  # isbt128.din.* or "cordblood.din.empty" / "cordblood.din.check_missing"
    din: str | None = None
    check: str | None = None


def din_entry(text: str, params: Any) -> DinEntry:
    """A DIN is accepted with its check verified: the eye-readable check character typed after
    it, flag digits that carry it, or a barcode scan (leading "=", the symbology checks itself)."""
    body = "".join(text.split()).upper()
    if not body:
        return DinEntry(False, "cordblood.din.empty")
    parsed = isbt128.parse_din(text, params)
    if not parsed.ok or parsed.din is None:
        return DinEntry(False, parsed.code)
    length = len(body.removeprefix("="))
    printed = length in (14, 16)
    flags = parsed.din.flags
    offset = params.isbt128_flag_check_offset
    carried = flags is not None and offset <= int(flags) < offset + len(isbt128.ALPHABET)
    if not (printed or carried or body.startswith("=")):
        return DinEntry(False, "cordblood.din.check_missing")
    return DinEntry(True, DIN_OK, parsed.din.din, parsed.din.check_character)


def din_message(entry: DinEntry, typed: str = "") -> str:
    if entry.code == "cordblood.din.empty":
        return code_text(entry.code)
    if entry.ok:
        return "✓ " + _t("Valid DIN %1, check character %2").replace("%1", entry.din or "").replace(
            "%2", entry.check or ""
        )
    if entry.code == "isbt128.din.wrong_length":
        n = len("".join(typed.split()).removeprefix("="))
        if n < 13:
            return "… " + _t("Not a complete DIN yet: %1 of 13 characters.").replace("%1", str(n))
    return "✗ " + code_text(entry.code)


def code_text(code: str, params: Any = None) -> str:
    """The sentence of a cord blood, HLA or DIN code; an unknown code is shown as itself."""
    texts = {
        "cordblood.din.empty": _t(
            "Scan the DIN barcode, or type the DIN followed by its boxed check character."
        ),
        "cordblood.din.check_missing": _t(
            "Type the boxed check character after the 13 characters of the DIN."
        ),
        "isbt128.din.missing": _t("No DIN entered"),
        "isbt128.din.wrong_length": _t(
            "Too many characters: a DIN has 13, then its check character."
        ),
        "isbt128.din.bad_fin": _t("The DIN must start with the 5-character facility code."),
        "isbt128.din.bad_year": _t("Characters 6–7 of the DIN (the year) must be digits."),
        "isbt128.din.bad_sequence": _t("Characters 8–13 of the DIN (the sequence) must be digits."),
        "isbt128.din.bad_flags": _t("The flag characters after the DIN must be digits."),
        "isbt128.din.bad_check_character": _t(
            "The check character must be a letter, a digit or *."
        ),
        "isbt128.din.wrong_check_character": _t(
            "Wrong check character: the DIN was mistyped or misread. Check the label."
        ),
        "isbt128.din.flag_check_mismatch": _t(
            "The flag digits do not match the DIN's check character."
        ),
        "hla.warn.too_many_mismatches": _t("More HLA mismatches than allowed"),
        "hla.warn.c_mismatch": _t("HLA-C mismatch"),
        "hla.warn.unresolved_locus": _t("HLA typing missing or too low resolution"),
        "hla.warn.six_locus_low": _t("6-locus match below the acceptable score"),
        "cordblood.dose.low": _t("TNC dose too low"),
        "cordblood.dose.unknown": _t("Dose not computed (TNC or weight missing)"),
        "cordblood.weight_missing": _t("No weight recorded: the dose per kg cannot be computed"),
        "cordblood.viability.low": _t("Post-thaw CD34+ viability too low"),
        "cordblood.single_unit": _t("A single unit reaches the TNC dose: %1"),
        "cordblood.consider_double_unit": _t(
            "No single unit reaches the TNC dose: consider a double unit (%1)"
        ),
        "cordblood.no_adequate_unit": _t("No candidate unit reaches the TNC dose yet"),
    }
    text = texts.get(code, code)
    if params is not None and code == "cordblood.dose.low":
        text += " " + _t("(needs more than %1 ×10⁷/kg)").replace(
            "%1", f"{params.tnc_min_e7_per_kg:g}"
        )
    return text


def warning_texts(codes: Sequence[str], params: Any = None) -> str:
    return "; ".join(code_text(c, params) for c in codes)


def number(value: float | None, decimals: int = 2) -> str:
    return "" if value is None else f"{value:.{decimals}f}"

"""Derived items: recomputed from their inputs and stored as ItemData by the system user.

ARCHITECTURE.md 3: derived values (BMI, BSA, calculated doses, engraftment days, GVHD grade,
scores) are items written by the system (audit user None) with `derived_by = rule@version`, so
exports and CRFs carry them and the audit trail shows each change ("recomputed by rule@version").
`recompute(ws, subject_key)` runs every derivation of the subject from what is stored now and
writes only the differences. forms.save_form calls it after every save that changed an item, so
every input change (generated form pages, stage services) is followed by one recompute. A
recompute that found nothing to write is remembered per open database (subject, last audit row,
ward day, rule set): a second call with nothing changed since (a stage service that still calls
recompute after save_form) costs one indexed MAX query instead of reloading the subject.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain import cgvhd, chimerism, conditioning, cordblood, eligibility, gvhd, hla, infusion
from app.domain import engraftment as eng
from app.domain import growth as growth_rules
from app.domain import islet as islet_rules
from app.domain import units as unit_rules
from app.domain.schedule import ward_today
from app.services._records import last_audit_id, subject_by_key
from app.services._uow import unit_of_work
from app.services.stage_common import (
    SubjectData,
    as_bool,
    as_date,
    as_float,
    load_subject_data,
    rule_params,
)
from app.services.workspace import Workspace
from app.study.model import StudyDefinition
from db.engine import Database
from db.models import FormData, ItemData, StudyEvent, Subject

# (event OID, repeat key, form OID, group OID, group repeat key, item OID)
DerivedKey = tuple[str, str, str, str, str, str]
Desired = dict[DerivedKey, tuple[str | None, str]]  # value (None clears), rule@version


@dataclass(frozen=True)
class DerivedChange:
    path: str
    old: str | None
    new: str | None
    derived_by: str


ENG_EVENTS = {"SE.ENG14": 14, "SE.ENG28": 28, "SE.ENG42": 42, "SE.ENG60": 60, "SE.ENG100": 100}
_ENGSTAT = {
    "pending": "NOT_YET",
    "warning_day28": "EARLY_WARNING",
    "primary_graft_failure": "PRIMARY_FAILURE",
    "secondary_graft_failure": "SECONDARY_FAILURE",
}
_CHCAT = {"full": "FULL", "mixed": "MIXED", "rejection": "REJECTION"}
_CGVHD = {"none": "NONE", "mild": "MILD", "moderate": "MODERATE", "severe": "SEVERE"}
_ELIGRES = {"eligible": "ELIGIBLE", "not_eligible": "NOT_ELIGIBLE", "incomplete": "INCOMPLETE"}
_HLA_LOCI = {"A": ("A1", "A2"), "B": ("B1", "B2"), "C": ("C1", "C2"), "DRB1": ("DRB1_1", "DRB1_2")}


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


# ---------------------------------------------------------------------------- derivations


def _bmi(data: SubjectData, ws: Workspace, out: Desired) -> None:
    version = ws.require_study().rules.version
    for r in data.all("IT.VS.WEIGHT"):
        if r.form_oid != "F.VS":
            continue
        height = as_float(data.value("IT.VS.HEIGHT", r.event_oid, r.repeat_key))
        weight = as_float(r.value)
        key = (r.event_oid, r.repeat_key, "F.VS", "IG.VS", "1", "IT.VS.BMI")
        value = None
        if height and weight and height > 0 and weight > 0:
            value = _fmt(growth_rules.bmi(weight, height), 1)
        out[key] = (value, f"growth.bmi@{version}")


def _eligibility(data: SubjectData, ws: Workspace, out: Desired, birth: date | None) -> None:
    if not data.has_form("SE.SCREEN", "", "F.ELIG"):
        return
    from app.services.stage_eligibility import answers_from

    params = rule_params(ws, eligibility.EligibilityParams, "eligibility")
    answers = answers_from(data, birth)
    on = as_date(data.value("IT.IE.DTC", "SE.SCREEN")) or ward_today(ws.clock)
    result = eligibility.evaluate(answers, on, params)
    label = result.rule.label()
    base = ("SE.SCREEN", "", "F.ELIG", "IG.ELIG.RESULT", "1")
    age = None
    if birth is not None and birth <= on:
        age = str(eligibility.age_in_years(birth, on))
    out[(*base, "IT.IE.AGE")] = (age, label)
    out[(*base, "IT.IE.RESULT")] = (_ELIGRES[result.status], label)


def _latest_weight(data: SubjectData) -> float | None:
    rows = [r for r in data.all("IT.VS.WEIGHT") if as_float(r.value)]
    if not rows:
        return None
    best = max(rows, key=lambda r: (as_date(data.value("IT.VS.DTC", r.event_oid, r.repeat_key))
                                    or date.min))  # fmt: skip
    return as_float(best.value)


def hla_typing(
    data: SubjectData, prefix: str, event: str, repeat: str | None
) -> dict[str, tuple[str | None, str | None]]:
    """HLA typings ("R" recipient, "U" unit) of one event occurrence by locus."""
    return {
        locus: (
            data.value(f"IT.HLA.{prefix}_{a}", event, repeat),
            data.value(f"IT.HLA.{prefix}_{b}", event, repeat),
        )
        for locus, (a, b) in _HLA_LOCI.items()
    }


def _cord_blood(data: SubjectData, ws: Workspace, out: Desired) -> None:
    units = data.repeats("SE.CBU", "F.CBU")
    if not units:
        return
    hla_p = rule_params(ws, hla.HlaParams, "cordblood")
    cb_p = rule_params(ws, cordblood.CordBloodParams, "cordblood")
    recipient = hla_typing(data, "R", "SE.ENROL", "")
    weight = _latest_weight(data)
    for key in units:
        unit = hla_typing(data, "U", "SE.CBU", key)
        base = ("SE.CBU", key, "F.CBU", "IG.CBU.CALC", "1")
        m6 = hla.match_six_locus(recipient, unit, hla_p)
        m8 = hla.match_eight_allele(recipient, unit, hla_p)
        resolved = not m8.unresolved_loci
        out[(*base, "IT.CB.MATCH6")] = (str(m6.score) if not m6.unresolved_loci else None,
                                        m6.rule.label())  # fmt: skip
        out[(*base, "IT.CB.MATCH8")] = (str(m8.score) if resolved else None, m8.rule.label())
        out[(*base, "IT.CB.MM_GVH")] = (str(m8.gvh_mismatches) if resolved else None,
                                        m8.rule.label())  # fmt: skip
        out[(*base, "IT.CB.MM_HVG")] = (str(m8.hvg_mismatches) if resolved else None,
                                        m8.rule.label())  # fmt: skip
        tnc = as_float(data.value("IT.CB.TNC", "SE.CBU", key))
        cd34 = as_float(data.value("IT.CB.CD34", "SE.CBU", key))
        tnc_kg = cd34_kg = None
        label = f"cordblood.tnc_dose@{cb_p.version}"
        if tnc and weight:
            # Stored in the item's unit (10*7 cells, 10*5 cells): to cells first.
            dose = cordblood.cell_dose(
                tnc * cordblood.TNC_SCALE,
                None if cd34 is None else cd34 * cordblood.CD34_SCALE,
                weight,
                cb_p,
            )
            tnc_kg = _fmt(dose.tnc_e7_per_kg, 2)
            cd34_kg = None if dose.cd34_e5_per_kg is None else _fmt(dose.cd34_e5_per_kg, 2)
            label = dose.rule.label()
        out[(*base, "IT.CB.TNC_KG")] = (tnc_kg, label)
        out[(*base, "IT.CB.CD34_KG")] = (cd34_kg, label)


def _conditioning(data: SubjectData, ws: Workspace, out: Desired) -> None:
    from app.services.stage_conditioning import dose_rows_from

    if not data.has_form("SE.CONDPLAN", "", "F.CONDPLAN") and not data.repeats("SE.COND"):
        return
    params = rule_params(ws, conditioning.ConditioningParams, "conditioning")
    height = as_float(data.value("IT.CP.HEIGHT", "SE.CONDPLAN"))
    weight = as_float(data.value("IT.CP.WEIGHT", "SE.CONDPLAN"))
    if data.has_form("SE.CONDPLAN", "", "F.CONDPLAN"):
        bsa = None
        if height and weight:
            bsa = _fmt(conditioning.bsa_mosteller(height, weight, params).m2, 2)
        label = f"conditioning.bsa@{params.version}"
        out[("SE.CONDPLAN", "", "F.CONDPLAN", "IG.CONDPLAN", "1", "IT.CP.BSA")] = (bsa, label)
        for g in data.group_rows("SE.CONDPLAN", "", "F.CONDPLAN", "IG.CONDPLAN.DRUG"):
            row = data.row("SE.CONDPLAN", "", "F.CONDPLAN", g)
            calc = _calc(row.get("IT.CP.DOSE_PER"), row.get("IT.CP.DOSE_BASIS"), weight, height,
                         params)  # fmt: skip
            pkey = ("SE.CONDPLAN", "", "F.CONDPLAN", "IG.CONDPLAN.DRUG", g, "IT.CP.DOSE_CALC")
            out[pkey] = (calc, f"conditioning.calculated_dose@{params.version}")
    for day in data.repeats("SE.COND", "F.CONDADM"):
        for dose in dose_rows_from(data, ws, int(day)):
            if dose.row_key is None:
                continue
            base = ("SE.COND", day, "F.CONDADM", "IG.CONDADM", dose.row_key)
            calc = None if dose.calculated_mg is None else _fmt(dose.calculated_mg, 1)
            dev = None if dose.deviation_percent is None else _fmt(dose.deviation_percent, 1)
            out[(*base, "IT.CM.DOSE_CALC")] = (
                calc,
                f"conditioning.calculated_dose@{params.version}",
            )
            out[(*base, "IT.CM.DOSE_DEV")] = (dev, f"conditioning.dose_deviation@{params.version}")
    # Busulfan: cumulative exposure after each dose, in order of dose number.
    aucs: list[tuple[int, str, str, str, float]] = []
    for r in data.all("IT.PK.BU_AUC"):
        n = as_float(data.row(r.event_oid, r.repeat_key, "F.DLVL", r.group_repeat_key).get(
            "IT.PK.BU_DOSE_NO"))  # fmt: skip
        value = as_float(r.value)
        if value is not None:
            aucs.append((int(n or 0), r.event_oid, r.repeat_key, r.group_repeat_key, value))
    aucs.sort()
    for i, (_, event, key, g, _v) in enumerate(aucs):
        exposure = conditioning.busulfan_cumulative_auc(
            [(a[4], "umol.min/L") for a in aucs[: i + 1]], params
        )
        out[(event, key, "F.DLVL", "IG.DLVL.BU", g, "IT.PK.BU_AUC_CUM")] = (
            _fmt(exposure.cumulative_mg_h_per_l, 1),
            exposure.rule.label(),
        )


def _calc(
    per: str | None,
    basis: str | None,
    weight: float | None,
    height: float | None,
    params: conditioning.ConditioningParams,
) -> str | None:
    dose_per = as_float(per)
    if dose_per is None or basis is None or not weight:
        return None
    if basis in ("mg/m2", "g/m2") and not height:
        return None
    return _fmt(conditioning.calculated_dose(dose_per, basis, weight, height, params).dose, 1)


def _infusion(data: SubjectData, ws: Workspace, out: Desired) -> None:
    if not data.has_form("SE.DAY0", "", "F.INFUS"):
        return
    params = rule_params(ws, infusion.InfusionParams, "infusion")
    weight = as_float(data.value("IT.INF.WEIGHT", "SE.DAY0"))
    volume = as_float(data.value("IT.INF.VOLUME", "SE.DAY0"))
    pct = as_float(data.value("IT.INF.DMSO_PCT", "SE.DAY0"))
    value = None
    if weight and volume is not None and pct is not None:
        value = _fmt(infusion.dmso_load(volume, pct / 100, weight, params).g_per_kg, 3)
    out[("SE.DAY0", "", "F.INFUS", "IG.INFUS", "1", "IT.INF.DMSO_GKG")] = (
        value,
        f"infusion.dmso@{params.version}",
    )
    prefreeze = {
        (data.value("IT.CB.DIN", "SE.CBU", k) or ""): as_float(data.value("IT.CB.TNC", "SE.CBU", k))
        for k in data.repeats("SE.CBU", "F.CBU")
    }
    for g in data.group_rows("SE.DAY0", "", "F.INFUS", "IG.INFUS.UNIT"):
        row = data.row("SE.DAY0", "", "F.INFUS", g)
        base = ("SE.DAY0", "", "F.INFUS", "IG.INFUS.UNIT", g)
        post_tnc = as_float(row.get("IT.INF.TNC_POST"))
        pre = prefreeze.get((row.get("IT.INF.DIN") or "")[:13])
        recov = None
        if post_tnc is not None and pre:
            recov = _fmt(cordblood.tnc_recovery(post_tnc, pre, params.version).recovery_percent, 1)
        out[(*base, "IT.INF.TNC_RECOV")] = (recov, f"cordblood.tnc_recovery@{params.version}")
        cd34 = as_float(row.get("IT.INF.CD34_POST"))
        viab = as_float(row.get("IT.INF.CD34_VIAB"))
        vcd34 = None
        if cd34 is not None and viab is not None and weight and 0 <= viab <= 100:
            dose = infusion.infused_viable_cd34(cd34 * cordblood.CD34_SCALE, viab, weight, params)
            vcd34 = _fmt(dose.e5_per_kg, 2)
        out[(*base, "IT.INF.VCD34_KG")] = (vcd34, f"infusion.viable_cd34_dose@{params.version}")


def _engraftment(data: SubjectData, ws: Workspace, out: Desired, today: date) -> None:
    from app.services.stage_engraftment import counts_from, day0_from

    day_zero = day0_from(data, ws)
    if day_zero is None:
        return
    params = rule_params(ws, eng.EngraftmentParams, "engraftment")
    anc, plt, tx = counts_from(data)
    today_day = (today - day_zero).days
    for event, day in ENG_EVENTS.items():
        if today_day < day and not data.has_form(event, "", "F.ENGR"):
            continue
        status = eng.engraftment_status(anc, plt, tx, min(day, today_day), params)
        label = status.rule.label()
        base = (event, "", "F.ENGR", "IG.ENGR", "1")
        n, p = status.neutrophil, status.platelet
        out[(*base, "IT.EN.ANC_DAY")] = (None if n.day is None else str(n.day), label)
        out[(*base, "IT.EN.ANC_DATE")] = (
            None if n.day is None else (day_zero.fromordinal(day_zero.toordinal() + n.day))
            .isoformat(), label)  # fmt: skip
        out[(*base, "IT.EN.PLT_DAY")] = (None if p.day is None else str(p.day), label)
        out[(*base, "IT.EN.PLT_DATE")] = (
            None if p.day is None else (day_zero.fromordinal(day_zero.toordinal() + p.day))
            .isoformat(), label)  # fmt: skip
        code = _ENGSTAT.get(status.status)
        if status.status == "engrafted":
            code = "ENGRAFTED" if p.day is not None else "NEUTROPHIL"
        out[(*base, "IT.EN.STATUS")] = (code, label)


def _chimerism(data: SubjectData, ws: Workspace, out: Desired) -> None:
    params = rule_params(ws, chimerism.ChimerismParams, "engraftment")
    for r in data.all("IT.CH.DONOR_PCT"):
        pct = as_float(r.value)
        value = None
        if pct is not None and 0 <= pct <= 100:
            value = _CHCAT[chimerism.chimerism_category(pct, params).category]
        key = (r.event_oid, r.repeat_key, "F.CHIM", "IG.CHIM", r.group_repeat_key, "IT.CH.CATEGORY")
        out[key] = (value, f"chimerism.category@{params.version}")


def _agvhd(data: SubjectData, ws: Workspace, out: Desired) -> None:
    params = rule_params(ws, gvhd.AcuteGvhdParams, "gvhd")
    for key in data.repeats("SE.AGVHD", "F.AGVHD"):
        v = data.row("SE.AGVHD", key, "F.AGVHD", "1")
        base = ("SE.AGVHD", key, "F.AGVHD", "IG.AGVHD.STAGE", "1")
        weight = as_float(v.get("IT.GV.WEIGHT"))
        skin_bsa = as_float(v.get("IT.GV.SKIN_BSA"))
        bili = as_float(data.value("IT.LB.BILI", "SE.AGVHD", key))
        stages: dict[str, int | None] = {"skin": None, "liver": None, "upper_gi": None}
        stages["lower_gi"] = None
        if skin_bsa is not None:
            bullae = 100.0 if as_bool(v.get("IT.GV.SKIN_BULLAE")) else 0.0
            stages["skin"] = gvhd.skin_stage(skin_bsa, bullae, params).stage
        stages["liver"] = 0 if bili is None else gvhd.liver_stage(bili, "umol/L", params).stage
        if v.get("IT.GV.UGI") is not None:
            stages["upper_gi"] = gvhd.upper_gi_stage(bool(as_bool(v["IT.GV.UGI"])), params).stage
        stool_kg = None
        if weight:
            vol = as_float(v.get("IT.GV.STOOL_VOL"))
            lgi = gvhd.lower_gi_stage(
                weight,
                params,
                vol,
                as_float(v.get("IT.GV.STOOL_N")),
                bool(as_bool(v.get("IT.GV.PAIN_SEVERE"))),
                bool(as_bool(v.get("IT.GV.BLOODY_STOOL"))),
            )
            stages["lower_gi"] = lgi.stage
            stool_kg = None if vol is None else _fmt(vol / weight, 1)
        organ_label = f"gvhd.acute.stage@{params.version}"
        out[(*base, "IT.GV.STOOL_VOL_KG")] = (stool_kg, organ_label)
        for organ, item in (
            ("skin", "IT.GV.SKIN_STAGE"),
            ("liver", "IT.GV.LIVER_STAGE"),
            ("upper_gi", "IT.GV.UGI_STAGE"),
            ("lower_gi", "IT.GV.LGI_STAGE"),
        ):
            stage = stages[organ]
            out[(*base, item)] = (None if stage is None else str(stage), organ_label)
        grade = None
        if all(s is not None for s in stages.values()):
            result = gvhd.acute_grade(
                stages["skin"] or 0, stages["liver"] or 0, stages["upper_gi"] or 0,
                stages["lower_gi"] or 0, params,
            )  # fmt: skip
            grade = str(result.grade)
        out[(*base, "IT.GV.A_GRADE")] = (grade, f"gvhd.acute.grade@{params.version}")


def _cgvhd(data: SubjectData, ws: Workspace, out: Desired) -> None:
    params = rule_params(ws, cgvhd.ChronicGvhdParams, "gvhd")
    organs = {"skin": "IT.GV.C_SKIN", "mouth": "IT.GV.C_MOUTH", "eyes": "IT.GV.C_EYES",
              "gi": "IT.GV.C_GI", "liver": "IT.GV.C_LIVER", "lungs": "IT.GV.C_LUNG",
              "joints_fascia": "IT.GV.C_JOINT", "genital": "IT.GV.C_GENITAL"}  # fmt: skip
    for key in data.repeats("SE.CGVHD", "F.CGVHD"):
        v = data.row("SE.CGVHD", key, "F.CGVHD", "1")
        scores = {o: int(v[i]) for o, i in organs.items() if v.get(i) is not None}
        value = None
        if scores:
            value = _CGVHD[cgvhd.global_severity(scores, params).severity]
        out[("SE.CGVHD", key, "F.CGVHD", "IG.CGVHD", "1", "IT.GV.C_SEVERITY")] = (
            value,
            f"gvhd.chronic.global_severity@{params.version}",
        )


def _islet_product(data: SubjectData, ws: Workspace, out: Desired) -> None:
    params = rule_params(ws, islet_rules.IsletReleaseParams, "islet")
    for key in data.repeats("SE.ISLINF", "F.ISLPROD"):
        v = data.row("SE.ISLINF", key, "F.ISLPROD", "1")
        base = ("SE.ISLINF", key, "F.ISLPROD", "IG.ISLPROD.CALC", "1")
        weight, ieq = as_float(v.get("IT.IS.WEIGHT")), as_float(v.get("IT.IS.IEQ"))
        viab, endo = as_float(v.get("IT.IS.VIABILITY")), as_float(v.get("IT.IS.ENDOTOX"))
        purity = as_float(v.get("IT.IS.PURITY"))
        number = int(as_float(v.get("IT.IS.INF_NO")) or key if key.isdigit() else 1)
        label = f"islet.release@{params.version}"
        ieq_kg = endo_kg = release = None
        if weight and ieq is not None:
            ieq_kg = _fmt(islet_rules.ieq_per_kg(ieq, weight), 0)
            if endo is not None:
                endo_kg = _fmt(endo / weight, 2)
            if viab is not None and endo is not None and purity is not None:
                result = islet_rules.product_release(
                    ieq, weight, viab, endo, purity, max(1, number), params,
                    as_float(v.get("IT.IS.TISSUE_VOL")),
                )  # fmt: skip
                release = "Y" if result.code == "islet.release.released" else "N"
        out[(*base, "IT.IS.IEQ_KG")] = (ieq_kg, label)
        out[(*base, "IT.IS.ENDOTOX_KG")] = (endo_kg, label)
        out[(*base, "IT.IS.RELEASE")] = (release, label)


def _hba1c(data: SubjectData, ws: Workspace, out: Desired) -> None:
    params = rule_params(ws, unit_rules.UnitParams, "units")
    for r in data.all("IT.LB.HBA1C"):
        pct = as_float(r.value)
        value = None
        if pct is not None:
            value = _fmt(unit_rules.convert(pct, "%", "mmol/mol", "hba1c", params).value, 0)
        key = (r.event_oid, r.repeat_key, "F.ISLFN", "IG.ISLFN", "1", "IT.LB.HBA1C_IFCC")
        out[key] = (value, f"units.hba1c@{params.version}")


def _islet_eligibility(data: SubjectData, ws: Workspace, out: Desired, today: date) -> None:
    if not data.has_form("SE.ISLELIG", "", "F.ISLELIG"):
        return
    from app.services.stage_islet import checklist_from

    checklist, _ = checklist_from(data, ws, today)
    label = checklist.rule.label()
    base = ("SE.ISLELIG", "", "F.ISLELIG", "IG.ISLELIG.AUTO", "1")
    by_name = {c.name: c for c in checklist.criteria}

    def yn(name: str) -> str | None:
        c = by_name[name]
        return None if c.value is None else ("Y" if c.value else "N")

    chim = by_name["donor_chimerism"].value
    cd4 = by_name["cd4"].value
    out[(*base, "IT.ISE.NEUT_ENG")] = (yn("neutrophil_engrafted"), label)
    out[(*base, "IT.ISE.PLT_ENG")] = (yn("platelet_engrafted"), label)
    out[(*base, "IT.ISE.CHIMERISM")] = (None if chim is None else str(chim), label)
    out[(*base, "IT.ISE.CD4")] = (None if cd4 is None else str(int(float(str(cd4)))), label)
    status = checklist.code.rsplit(".", 1)[-1]
    out[(*base, "IT.ISE.RESULT")] = (_ELIGRES[status], label)


def _growth(
    data: SubjectData, ws: Workspace, out: Desired, birth: date | None, sex: str | None
) -> None:
    """Height, weight and BMI z-scores and centiles of each visit with F.GROWTH (DOMAIN.md 7):
    WHO 2006 under 2 years, CDC 2000 from 2 to 20; the reference is stored beside them."""
    from app.study.growth_reference import GrowthReferenceError, table_for_age

    if birth is None or sex not in ("M", "F"):
        return
    study = ws.require_study()
    params = rule_params(ws, growth_rules.GrowthParams, "growth")
    growth_events = {e.oid for e in study.events if "F.GROWTH" in e.forms}
    for r in data.all("IT.VS.WEIGHT"):
        if r.event_oid not in growth_events or r.form_oid != "F.VS":
            continue
        when = as_date(data.value("IT.VS.DTC", r.event_oid, r.repeat_key)) or r.event_date
        if when is None or when < birth:
            continue
        days = growth_rules.age_days(birth, when)
        weight = as_float(r.value)
        height = as_float(data.value("IT.VS.HEIGHT", r.event_oid, r.repeat_key))
        measures = {
            "weight": weight,
            "height": height,
            "bmi": growth_rules.bmi(weight, height) if weight and height else None,
        }
        base = (r.event_oid, r.repeat_key, "F.GROWTH", "IG.GROWTH", "1")
        reference = None
        for indicator, value in measures.items():
            z = cent = None
            label = f"growth.{indicator}_z@{params.version}"
            if value:
                try:
                    result = growth_rules.growth_z(value, days, table_for_age(indicator, sex, days,
                                                   params), params)  # fmt: skip
                except (GrowthReferenceError, ValueError):
                    result = None
                if result is not None:
                    z, cent = _fmt(result.z, 2), _fmt(result.centile, 1)
                    label = result.rule.label()
                    reference = f"{result.reference} ({result.reference_version})"[:40]
            name = indicator.upper()
            out[(*base, f"IT.VS.{name}_Z")] = (z, label)
            out[(*base, f"IT.VS.{name}_CENT")] = (cent, label)
        out[(*base, "IT.VS.GROWTH_REF")] = (reference, f"growth.reference_choice@{params.version}")


def _islet_scores(data: SubjectData, ws: Workspace, out: Desired) -> None:
    """beta-score, BETA-2 and Igls class of each visit with F.ISLFN (DOMAIN.md 6.3)."""
    from app.services.stage_followup import derived_for_visit

    igls_codes = {"optimal": "OPTIMAL", "good": "GOOD", "marginal": "MARGINAL",
                  "failure": "FAILURE"}  # fmt: skip
    for key in sorted({(r.event_oid, r.repeat_key) for r in data.all("IT.LB.HBA1C")}):
        if not key[0].startswith("SE.FU"):
            continue
        values = {d.name: d for d in derived_for_visit(data, ws, key[0])}
        base = (*key, "F.ISLFN", "IG.ISLFN.SCORE", "1")
        version = ws.require_study().rules.version
        for name, item in (("beta_score", "IT.IS.BSCORE"), ("beta2", "IT.IS.BETA2"),
                           ("igls", "IT.IS.IGLS")):  # fmt: skip
            d = values.get(name)
            value = None if d is None else d.value
            if name == "igls" and value is not None:
                value = igls_codes[value]
            rule = d.rule if d is not None and d.rule else f"islet.{name}@{version}"
            out[(*base, item)] = (value, rule)


DERIVATIONS: tuple[Callable[[SubjectData, Workspace, Desired], None], ...] = (
    _bmi,
    _cord_blood,
    _conditioning,
    _infusion,
    _chimerism,
    _agvhd,
    _cgvhd,
    _islet_product,
    _hba1c,
    _islet_scores,
)


def desired_values(
    data: SubjectData, ws: Workspace, birth: date | None, today: date, sex: str | None = None
) -> Desired:
    """Every derived item of the subject as the rules compute it from the stored inputs."""
    out: Desired = {}
    for derive in DERIVATIONS:
        derive(data, ws, out)
    _eligibility(data, ws, out, birth)
    _growth(data, ws, out, birth, sex)
    _engraftment(data, ws, out, today)
    _islet_eligibility(data, ws, out, today)
    return out


# ---------------------------------------------------------------------------- writing


def recompute(ws: Workspace, subject_key: str, today: date | None = None) -> list[DerivedChange]:
    """Recompute and store every derived item of the subject (system user, audited)."""
    study = ws.require_study()
    today = today or ward_today(ws.clock)
    settled = _SETTLED.setdefault(ws.db, {})
    with ws.db.session() as session:
        # Read in the same transaction as the data: every clinical write adds an audit row.
        stamp = (last_audit_id(session), today, id(study))
        if settled.get(subject_key) == stamp:
            return []
        subject = subject_by_key(session, subject_key)
        identity = subject.identity
        birth = identity.birth_date if identity is not None else None
        sex = identity.sex if identity is not None else None
        data = load_subject_data(session, subject)
    desired = desired_values(data, ws, birth, today, sex)
    stored = {
        (r.event_oid, r.repeat_key, r.form_oid, r.group_oid, r.group_repeat_key, r.item_oid): r
        for r in data.items
    }
    pending = {
        k: v
        for k, v in desired.items()
        if (k in stored and stored[k].value != v[0]) or (k not in stored and v[0] is not None)
    }
    if not pending:
        settled[subject_key] = stamp  # a fixed point: the same inputs give nothing to write
        return []
    changes: list[DerivedChange] = []
    now = ws.clock.now()
    with unit_of_work(ws, None) as session:
        subject = subject_by_key(session, subject_key)
        write_derived(session, subject, study, now, pending, changes)
    return changes


# Per open database: subject key -> (last audit id, ward day, id of the study definition) of the
# last recompute that had nothing to write.
_SETTLED: weakref.WeakKeyDictionary[Database, dict[str, tuple[int, date, int]]] = (
    weakref.WeakKeyDictionary()
)


def write_derived(
    session: Session,
    subject: Subject,
    study: StudyDefinition,
    now: datetime,
    pending: Desired,
    changes: list[DerivedChange],
) -> None:
    """Apply `pending` (only the differences) in one flush; new forms carry the study version."""
    mdv_oid = study.mdv_oid
    units = {oid: study.item(oid).unit for *_, oid in pending if study.has_item(oid)}
    events = {
        (e.event_oid, e.repeat_key): e
        for e in session.scalars(
            select(StudyEvent)
            .where(StudyEvent.subject_id == subject.id)
            .options(selectinload(StudyEvent.forms).selectinload(FormData.items))
        )
    }
    with session.no_autoflush:
        _apply(session, subject, mdv_oid, now, pending, changes, events, units)
    session.flush()


def _apply(
    session: Session,
    subject: Subject,
    mdv_oid: str,
    now: datetime,
    pending: Desired,
    changes: list[DerivedChange],
    events: dict[tuple[str, str], StudyEvent],
    units: Mapping[str, str | None],
) -> None:
    for (event_oid, repeat, form_oid, group, grk, item_oid), (value, rule) in pending.items():
        event = events.get((event_oid, repeat))
        if event is None:
            event = StudyEvent(subject=subject, event_oid=event_oid, repeat_key=repeat)
            session.add(event)
            events[(event_oid, repeat)] = event
        form = next((f for f in event.forms if f.form_oid == form_oid), None)
        if form is None:
            form = FormData(
                event=event, form_oid=form_oid, mdv_oid=mdv_oid, status="incomplete",
                updated_at=now,
            )  # fmt: skip
            session.add(form)
        item = next(
            (
                i
                for i in form.items
                if i.item_group_oid == group
                and i.group_repeat_key == grk
                and i.item_oid == item_oid
            ),
            None,
        )
        path = f"{subject.subject_key}/{event_oid}{f'[{repeat}]' if repeat else ''}/{form_oid}"
        path += f"/{group}[{grk}]/{item_oid}"
        if item is None:
            item = ItemData(
                form=form, item_group_oid=group, group_repeat_key=grk, item_oid=item_oid,
                value=value, unit=units.get(item_oid), derived_by=rule,
            )  # fmt: skip
            session.add(item)
            changes.append(DerivedChange(path, None, value, rule))
        elif item.value != value:
            changes.append(DerivedChange(path, item.value, value, rule))
            item.derived_by = rule
            item.value = value


def save_and_recompute(
    ws: Workspace,
    user: object,
    subject_key: str,
    event_oid: str,
    repeat_key: str,
    form_oid: str,
    values: Mapping[tuple[str, str, str], str | None],
    reason: str | None = None,
    confirmations: Mapping[tuple[str, str, str], str] | None = None,
    complete: bool | None = None,
) -> list[DerivedChange]:
    """forms.save_form (which recomputes the subject's derived items after a change), returning
    the derived changes; with nothing changed it recomputes once itself (today's day may have
    moved an engraftment status), so every call recomputes exactly once."""
    from app.services.auth import UserSession
    from app.services.forms import save_form

    assert isinstance(user, UserSession)
    result = save_form(ws, user, subject_key, event_oid, repeat_key, form_oid, values, reason,
                       confirmations, complete)  # fmt: skip
    if result.changed_items:
        return list(result.derived)
    return recompute(ws, subject_key)

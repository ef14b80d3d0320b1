"""Demo ward: synthetic subjects at every treatment stage with plausible values, so every screen
has something to show (issue 4: engrafted on different days, one primary graft failure, acute
GVHD of different grades, islet and no-islet paths, follow-up visits due, overdue and done).

Subjects follow SCENARIOS in turn (subject n gets scenario (n - 1) mod len). Data is written by
the demo nurse through the audited unit of work (one transaction per subject: the trail shows
every item), derived items by the system (app.services.derived), signatures by the demo
investigator. Names are clearly synthetic; choices come from a seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import isbt128
from app.domain.schedule import add_months, ward_today
from app.services import derived
from app.services._records import content_hash, subject_by_key
from app.services._uow import unit_of_work, user_by_name
from app.services.demo import DEMO_SITE_CODE, DEMO_USERNAMES, DemoContext
from app.services.demo_queries import add_demo_queries
from app.services.permissions import Role
from app.services.settings import load_settings
from app.services.stage_common import rule_params
from app.services.stage_facts import BEDSIDE_ACTION
from app.services.workspace import Workspace
from app.study.model import StudyDefinition
from db.audit import record_event
from db.models import FormData, ItemData, Signature, StudyEvent, Subject, SubjectIdentity, User

# (event OID, repeat key, form OID) -> {(group OID, group repeat key, item OID): value}
FormKey = tuple[str, str, str]
Values = dict[FormKey, dict[tuple[str, str, str], str]]


@dataclass(frozen=True)
class Scenario:
    name: str
    stage: str
    build: Callable[[SubjectPlan], None]


@dataclass
class SubjectPlan:
    """What one demo subject's record will hold (filled by a scenario's build function)."""

    key: str
    today: date
    rng: random.Random
    weight: float
    height: float
    din_params: isbt128.Isbt128Params
    values: Values = field(default_factory=dict)
    signed: list[tuple[FormKey, str]] = field(default_factory=list)  # form, meaning
    verified: bool = False

    def put(self, form: FormKey, group: str, items: Mapping[str, str], row: str = "1") -> None:
        target = self.values.setdefault(form, {})
        for item, value in items.items():
            target[(group, row, item)] = value


# ---------------------------------------------------------------------------- building blocks


def _dt(d: date, hour: int = 8) -> str:
    return datetime.combine(d, time(hour)).isoformat()


def _eligibility(p: SubjectPlan, signed: bool) -> None:
    form = ("SE.SCREEN", "", "F.ELIG")
    p.put(form, "IG.ELIG.INCL", {"IT.IE.INCL1": "Y", "IT.IE.INCL2": "Y", "IT.IE.OD_IBD": "Y",
                                 "IT.IE.OD_RECUR": "Y", "IT.IE.INCL3": "Y"})  # fmt: skip
    for item in ("IT.IE.OD_RENAL", "IT.IE.OD_INFECT", "IT.IE.OD_HEPAT", "IT.IE.OD_IRIDO",
                 "IT.IE.OD_ADRENAL", "IT.IE.OD_HYPOPHYS", "IT.IE.OD_RHEUM", "IT.IE.OD_VASC",
                 "IT.IE.OD_SLE", "IT.IE.OD_OTHER"):  # fmt: skip
        p.put(form, "IG.ELIG.INCL", {item: "N"})
    p.put(form, "IG.ELIG.EXCL", {i: "N" for i in ("IT.IE.EX_TREAT", "IT.IE.EX_VIRUS",
          "IT.IE.EX_INFECT", "IT.IE.EX_MALIG", "IT.IE.EX_FATAL", "IT.IE.EX_PSYCH")})  # fmt: skip
    p.put(form, "IG.ELIG.RESULT", {"IT.IE.DTC": (p.today - timedelta(days=400)).isoformat()})
    if signed:
        p.signed.append((form, "eligibility_confirmed"))


def _din(p: SubjectPlan, n: int) -> tuple[str, str]:
    din = f"W4321{26 + n % 2:02d}{p.rng.randint(100000, 999999)}"
    return din, isbt128.mod37_2(din)


RECIPIENT_HLA = {"R_A1": "A*02:01", "R_A2": "A*24:02", "R_B1": "B*46:01", "R_B2": "B*58:01",
                 "R_C1": "C*01:02", "R_C2": "C*03:02", "R_DRB1_1": "DRB1*09:01",
                 "R_DRB1_2": "DRB1*03:01"}  # fmt: skip


def _enrolled(p: SubjectPlan, day0: date) -> list[str]:
    """Eligibility signed, consent, recipient HLA, two candidate units; returns their DINs."""
    _eligibility(p, signed=True)
    consent = day0 - timedelta(days=60)
    p.put(("SE.ENROL", "", "F.ENROL"), "IG.ENROL", {"IT.DS.CONSENT_DTC": consent.isoformat(),
          "IT.DS.ICF_VERSION": "2.1", "IT.DS.ASSENT": "Y",
          "IT.DS.ENROL_DTC": consent.isoformat()})  # fmt: skip
    p.put(("SE.ENROL", "", "F.HLAR"), "IG.HLAR",
          {f"IT.HLA.{k}": v for k, v in RECIPIENT_HLA.items()})  # fmt: skip
    p.put(("SE.SCREEN", "", "F.VS"), "IG.VS", {"IT.VS.DTC": _dt(consent), "IT.VS.WEIGHT":
          f"{p.weight:.1f}", "IT.VS.HEIGHT": f"{p.height:.1f}"})  # fmt: skip
    dins = []
    for n in (1, 2):
        din, check = _din(p, n)
        dins.append(din)
        form = ("SE.CBU", str(n), "F.CBU")
        tnc = p.weight * (6.5 if n == 1 else 4.0) * p.rng.uniform(0.9, 1.2)
        p.put(form, "IG.CBU", {"IT.CB.BANK": "Demo cord blood bank", "IT.CB.DIN": din,
              "IT.CB.DIN_CHECK": check, "IT.CB.PRODCODE": "E0001V00", "IT.CB.TNC":
              f"{tnc:.0f}", "IT.CB.CD34": f"{tnc * 0.8:.0f}", "IT.CB.VIAB_POST": "88",
              "IT.CB.VOLUME": "25", "IT.CB.DMSO_PCT": "10"})  # fmt: skip
        unit = dict(RECIPIENT_HLA)
        if n == 2:
            unit["R_DRB1_2"] = "DRB1*15:01"
        p.put(form, "IG.CBU.HLA", {f"IT.HLA.U{k[1:]}": v for k, v in unit.items()})
    return dins


def _selected(p: SubjectPlan, day0: date) -> str:
    dins = _enrolled(p, day0)
    form = ("SE.CBUSEL", "", "F.CBUSEL")
    p.put(form, "IG.CBUSEL", {"IT.CBS.DTC": (day0 - timedelta(days=30)).isoformat(),
          "IT.CBS.N_FOUND": "2", "IT.CBS.STRATEGY": "SINGLE"})  # fmt: skip
    p.put(form, "IG.CBUSEL.UNIT", {"IT.CBS.DIN": dins[0], "IT.CBS.ROLE": "FIRST"})
    p.signed.append((form, "approved_as_investigator"))
    plan = ("SE.CONDPLAN", "", "F.CONDPLAN")
    p.put(plan, "IG.CONDPLAN", {"IT.CP.REGIMEN": "flu_bu_atg_example", "IT.CP.INTENSITY":
          "MAC", "IT.CP.START_DAY": "-6", "IT.CP.WEIGHT": f"{p.weight:.1f}", "IT.CP.HEIGHT":
          f"{p.height:.1f}", "IT.CP.BU_TARGET": "90"})  # fmt: skip
    for n, (drug, basis, per, d1, d2) in enumerate(
        (("FLU", "mg/m2", "40", -6, -3), ("BU", "mg/kg", "3.2", -5, -2),
         ("ATG", "mg/kg", "2.5", -4, -2)), start=1):  # fmt: skip
        p.put(plan, "IG.CONDPLAN.DRUG", {"IT.CP.DRUG": drug, "IT.CP.ROUTE": "IV",
              "IT.CP.DOSE_BASIS": basis, "IT.CP.DOSE_PER": per, "IT.CP.DAY_FROM": str(d1),
              "IT.CP.DAY_TO": str(d2)}, row=str(n))  # fmt: skip
    return dins[0]


ISLET_ROUTE = "PTHPV"
_PLAN = {-6: ("FLU",), -5: ("FLU", "BU"), -4: ("FLU", "BU", "ATG"), -3: ("FLU", "BU", "ATG"),
         -2: ("BU", "ATG"), -1: ()}  # fmt: skip


def _conditioning(p: SubjectPlan, day0: date, until_day: int, deviation: bool = False) -> None:
    """Doses, isolation checklists and counts from Day -6 up to `until_day` (inclusive)."""
    bsa = (p.height * p.weight / 3600) ** 0.5
    per = {"FLU": 40 * bsa, "BU": 3.2 * p.weight, "ATG": 2.5 * p.weight}
    for day in range(-6, min(until_day, -1) + 1):
        when = day0 + timedelta(days=day)
        form = ("SE.COND", str(day), "F.CONDADM")
        for n, drug in enumerate(_PLAN[day], start=1):
            given = per[drug] * (1.12 if deviation and drug == "BU" and day == -5 else 1.0)
            basis = "mg/m2" if drug == "FLU" else "mg/kg"
            p.put(form, "IG.CONDADM", {"IT.CM.DRUG": drug, "IT.CM.ROUTE": "IV",
                  "IT.CM.DOSE_BASIS": basis, "IT.CM.DOSE_PER": {"FLU": "40", "BU": "3.2",
                  "ATG": "2.5"}[drug], "IT.CM.DOSE_GIVEN": f"{given:.1f}", "IT.CM.START":
                  _dt(when, 9), "IT.CM.END": _dt(when, 11), "IT.CM.GIVEN_BY": "nurse",
                  "IT.CM.CHECKED_BY": "physician"}, row=str(n))  # fmt: skip
        _isolation(p, "SE.COND", str(day), when)
        _fbc(p, "SE.COND", str(day), when, 2.5, 180)


def _isolation(p: SubjectPlan, event: str, key: str, when: date) -> None:
    p.put((event, key, "F.ISOL"), "IG.ISOL", {"IT.PE.DTC": when.isoformat(), "IT.PE.HEPA":
          "OK", "IT.PE.PPE": "Y", "IT.PE.HANDS": "Y", "IT.PE.BY": "nurse"})  # fmt: skip


def _fbc(p: SubjectPlan, event: str, key: str, when: date, anc: float, plt: int) -> None:
    p.put((event, key, "F.FBC"), "IG.FBC", {"IT.LB.FBC_DTC": _dt(when, 7), "IT.LB.ANC":
          f"{anc:.2f}", "IT.LB.PLT": str(plt), "IT.LB.WBC": f"{anc * 1.6 + 0.1:.2f}",
          "IT.LB.HGB": str(p.rng.randint(80, 105)), "IT.LB.LYM": f"{anc * 0.3:.2f}"})  # fmt: skip


def _infused(p: SubjectPlan, day0: date) -> None:
    din = _selected(p, day0)
    _conditioning(p, day0, -1)
    form = ("SE.DAY0", "", "F.INFUS")
    p.put(form, "IG.INFUS.VERIF", {"IT.INF.VER_ID_OK": "Y", "IT.INF.VER_DIN_OK": "Y",
          "IT.INF.VER1_BY": "nurse", "IT.INF.VER1_DTC": _dt(day0, 10), "IT.INF.VER2_BY":
          "physician", "IT.INF.VER2_DTC": _dt(day0, 10)})  # fmt: skip
    p.put(form, "IG.INFUS", {"IT.INF.WEIGHT": f"{p.weight:.1f}", "IT.INF.START": _dt(day0, 10),
          "IT.INF.END": _dt(day0, 11), "IT.INF.VOLUME": "25", "IT.INF.DMSO_PCT": "10"})  # fmt: skip
    p.put(form, "IG.INFUS.UNIT", {"IT.INF.DIN": din, "IT.INF.UNIT_VOL": "25"})
    p.verified = True
    _isolation(p, "SE.DAY0", "", day0)


def _post(
    p: SubjectPlan,
    day0: date,
    until_day: int,
    engraft_day: int | None,
    platelet_day: int | None,
    today_done: bool = True,
) -> None:
    """Daily counts and isolation checklists from Day +1 to `until_day` with recovery on the
    given days (None: no recovery), platelet transfusions until 8 days before recovery."""
    for day in range(1, until_day + 1):
        if day == until_day and not today_done:
            break
        when = day0 + timedelta(days=day)
        if engraft_day is None or day < engraft_day:
            anc = 0.8 if day <= 2 else 0.05 + p.rng.random() * 0.1
        else:
            anc = 0.6 + 0.15 * (day - engraft_day) + p.rng.random() * 0.2
        if platelet_day is None or day < platelet_day:
            plt = 12 + p.rng.randint(0, 10)
        else:
            plt = 25 + 4 * (day - platelet_day)
        _fbc(p, "SE.POST", str(day), when, anc, plt)
        _isolation(p, "SE.POST", str(day), when)
        last_tx = (platelet_day or 10_000) - 8
        if day % 3 == 0 and day <= last_tx:
            p.put(
                ("SE.POST", str(day), "F.TRANSF"),
                "IG.TRANSF",
                {"IT.TR.PRODUCT": "PLT", "IT.TR.DTC": _dt(when, 12), "IT.TR.IRRAD": "Y"},
            )


def _agvhd(p: SubjectPlan, when: date, grade: int, n: int = 1) -> None:
    """An acute GVHD assessment whose computed MAGIC grade is `grade` (0-4)."""
    skin, stool, bili = {0: (0, 0, 10), 1: (20, 0, 10), 2: (60, 0, 10), 3: (20, 24, 10),
                         4: (20, 0, 300)}[grade]  # fmt: skip
    event = ("SE.AGVHD", str(n), "F.AGVHD")
    p.put(event, "IG.AGVHD", {"IT.GV.A_DTC": when.isoformat(), "IT.GV.SKIN_BSA": str(skin),
          "IT.GV.SKIN_BULLAE": "N", "IT.GV.UGI": "N", "IT.GV.STOOL_VOL":
          str(int(stool * p.weight)), "IT.GV.PAIN_SEVERE": "N", "IT.GV.BLOODY_STOOL": "N",
          "IT.GV.WEIGHT": f"{p.weight:.1f}"})  # fmt: skip
    p.put(("SE.AGVHD", str(n), "F.CHEM"), "IG.CHEM",
          {"IT.LB.CHEM_DTC": _dt(when), "IT.LB.BILI": str(bili)})  # fmt: skip


def _engrafted_history(p: SubjectPlan, day0: date, engraft_day: int) -> None:
    """A transplant course that engrafted, with counts to Day +35 and assessments."""
    _infused(p, day0)
    _post(p, day0, 35, engraft_day, engraft_day + 10)
    for day in (14, 28):
        p.put((f"SE.ENG{day}", "", "F.ENGR"), "IG.ENGR",
              {"IT.EN.DTC": (day0 + timedelta(days=day)).isoformat()})  # fmt: skip


def _immune(p: SubjectPlan, event: str, when: date, chimerism: float, cd4: int) -> None:
    p.put((event, "", "F.CHIM"), "IG.CHIM", {"IT.CH.DTC": when.isoformat(), "IT.CH.LINEAGE":
          "WB", "IT.CH.DONOR_PCT": f"{chimerism:g}"})  # fmt: skip
    p.put((event, "", "F.IMMUNE"), "IG.IMMUNE", {"IT.LB.IR_DTC": when.isoformat(),
          "IT.LB.CD4": str(cd4), "IT.LB.CD3": str(cd4 * 2)})  # fmt: skip


def _islet_decision(p: SubjectPlan, when: date, decision: str | None) -> None:
    form = ("SE.ISLELIG", "", "F.ISLELIG")
    _immune(p, "SE.ISLELIG", when, 98, 260)
    p.put(
        form,
        "IG.ISLELIG",
        {
            "IT.ISE.DTC": when.isoformat(),
            "IT.ISE.AGVHD_ACTIVE": "N",
            "IT.ISE.CGVHD_MODSEV": "N",
            "IT.ISE.INF_ACTIVE": "N",
            "IT.ISE.STEROIDS_OFF": "Y",
        },
    )
    if decision is not None:
        p.put(form, "IG.ISLELIG", {"IT.ISE.DECISION": decision})
        p.signed.append((form, "eligibility_confirmed"))


def _follow_up(p: SubjectPlan, anchor: date, done_months: Mapping[int, int]) -> None:
    """Visits done: month -> days from the target (0 = on the target date)."""
    for month, offset in done_months.items():
        when = add_months(anchor, month) + timedelta(days=offset)
        event = f"SE.FU{month:02d}"
        p.put((event, "", "F.FU"), "IG.FU", {"IT.FU.DTC": when.isoformat(), "IT.FU.AGVHD": "N",
              "IT.FU.CGVHD": "N"})  # fmt: skip
        p.put(
            (event, "", "F.ISLFN"),
            "IG.ISLFN",
            {
                "IT.LB.ISLFN_DTC": when.isoformat(),
                "IT.LB.HBA1C": f"{p.rng.uniform(6.0, 7.5):.1f}",
                "IT.LB.CPEP_F": f"{p.rng.uniform(0.2, 0.6):.2f}",
                "IT.LB.GLUC_F": f"{p.rng.uniform(5, 8):.1f}",
            },
        )
        p.put(
            (event, "", "F.VS"),
            "IG.VS",
            {
                "IT.VS.DTC": _dt(when),
                "IT.VS.WEIGHT": f"{p.weight + month * 0.1:.1f}",
                "IT.VS.HEIGHT": f"{p.height + month * 0.4:.1f}",
            },
        )


def _treatment_end(p: SubjectPlan, anchor: date, islets: bool) -> None:
    day0 = anchor - timedelta(days=150)
    _engrafted_history(p, day0, p.rng.randint(15, 24))
    _islet_decision(p, anchor - timedelta(days=20), "PROCEED" if islets else "NO_ISLET")
    if islets:
        key = ("SE.ISLINF", "1", "F.ISLPROD")
        p.put(key, "IG.ISLPROD", {"IT.IS.BATCH": "DEMO-ISL-1", "IT.IS.INF_NO": "1",
              "IT.IS.WEIGHT": f"{p.weight:.1f}", "IT.IS.IEQ": str(int(p.weight * 6500)),
              "IT.IS.PURITY": "60", "IT.IS.VIABILITY": "85", "IT.IS.ENDOTOX":
              f"{p.weight * 1.5:.1f}", "IT.IS.TISSUE_VOL": "4"})  # fmt: skip
        p.put(("SE.ISLINF", "1", "F.ISLINF"), "IG.ISLINF", {"IT.IS.INF_START": _dt(anchor, 9),
              "IT.IS.INF_END": _dt(anchor, 10), "IT.IS.ROUTE": ISLET_ROUTE})  # fmt: skip
    else:
        form = ("SE.TRTCOMP", "", "F.TRTCOMP")
        p.put(form, "IG.TRTCOMP", {"IT.TC.DTC": anchor.isoformat(), "IT.TC.ISLET": "N",
              "IT.TC.REASON": "family declined islet transplantation"})  # fmt: skip
        p.signed.append((form, "approved_as_investigator"))


# ---------------------------------------------------------------------------- scenarios


def _screening(p: SubjectPlan) -> None:
    _eligibility(p, signed=False)


def _enrolled_s(p: SubjectPlan) -> None:
    _enrolled(p, p.today + timedelta(days=40))


def _unit_selected(p: SubjectPlan) -> None:
    _selected(p, p.today + timedelta(days=12))


def _conditioning_s(p: SubjectPlan) -> None:
    day0 = p.today + timedelta(days=3)
    _selected(p, day0)
    _conditioning(p, day0, -4, deviation=True)  # Day -3 today: doses due, not given yet


def _infused_early(p: SubjectPlan) -> None:
    day0 = p.today - timedelta(days=6)
    _infused(p, day0)
    _post(p, day0, 6, None, None, today_done=False)  # today's count not entered yet


def _engrafting(engraft_day: int, today_day: int) -> Callable[[SubjectPlan], None]:
    def build(q: SubjectPlan) -> None:
        day0 = q.today - timedelta(days=today_day)
        _infused(q, day0)
        _post(q, day0, today_day, engraft_day, engraft_day + 12)

    return build


def _warning28(p: SubjectPlan) -> None:
    day0 = p.today - timedelta(days=31)
    _infused(p, day0)
    _post(p, day0, 31, None, None)


def _graft_failure(p: SubjectPlan) -> None:
    day0 = p.today - timedelta(days=45)
    _infused(p, day0)
    _post(p, day0, 45, None, None)


def _agvhd_grade(grade: int, engraft_day: int) -> Callable[[SubjectPlan], None]:
    def build(p: SubjectPlan) -> None:
        day0 = p.today - timedelta(days=40)
        _infused(p, day0)
        _post(p, day0, 40, engraft_day, engraft_day + 10)
        _agvhd(p, p.today - timedelta(days=2), grade)

    return build


def _infection(p: SubjectPlan) -> None:
    day0 = p.today - timedelta(days=24)
    _infused(p, day0)
    _post(p, day0, 24, 17, 21)
    p.put(("SE.INF", "1", "F.INFECT"), "IG.INFECT", {"IT.IN.ONSET": (p.today - timedelta(
          days=3)).isoformat(), "IT.IN.CLASS": "VIRAL", "IT.IN.ORGANISM": "CMV",
          "IT.IN.GRADE": "2", "IT.IN.OUTCOME": "ONGOING"})  # fmt: skip


def _islet_assessment(p: SubjectPlan) -> None:
    day0 = p.today - timedelta(days=120)
    _engrafted_history(p, day0, 19)
    _agvhd(p, day0 + timedelta(days=30), 1)
    _islet_decision(p, p.today - timedelta(days=1), None)


def _anchored(
    islets: bool, days_ago: int, done: Mapping[int, int]
) -> Callable[[SubjectPlan], None]:
    def build(p: SubjectPlan) -> None:
        anchor = p.today - timedelta(days=days_ago)
        _treatment_end(p, anchor, islets)
        _follow_up(p, anchor, done)

    return build


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("screening", "screening", _screening),
    Scenario("enrolled", "enrolled", _enrolled_s),
    Scenario("unit_selected", "unit_selected", _unit_selected),
    Scenario("conditioning_day_minus3", "conditioning", _conditioning_s),
    Scenario("infused_day6_count_due", "infused", _infused_early),
    Scenario("engrafted_day16", "engraftment", _engrafting(16, 22)),
    Scenario("engrafted_day24", "engraftment", _engrafting(24, 33)),
    Scenario("warning_day28", "infused", _warning28),
    Scenario("primary_graft_failure", "infused", _graft_failure),
    Scenario("agvhd_grade2", "engraftment", _agvhd_grade(2, 18)),
    Scenario("agvhd_grade3", "engraftment", _agvhd_grade(3, 20)),
    Scenario("agvhd_grade4", "engraftment", _agvhd_grade(4, 15)),
    Scenario("infection_open", "engraftment", _infection),
    Scenario("islet_assessment", "islet_eligibility", _islet_assessment),
    Scenario("islet_fu03_due", "follow_up", _anchored(True, 70, {})),
    Scenario("no_islet_fu03_overdue", "follow_up", _anchored(False, 100, {})),
    Scenario("islet_fu06_open", "follow_up", _anchored(True, 180, {3: 2})),
    Scenario("no_islet_fu12_missed", "follow_up", _anchored(False, 400, {3: 0, 6: -5, 9: 20})),
)


# ---------------------------------------------------------------------------- writing


def _write(ws: Workspace, subject_key: str, plan: SubjectPlan, nurse_id: int) -> None:
    study = ws.require_study()
    now = ws.clock.now()
    with unit_of_work(ws, nurse_id) as session:
        subject = subject_by_key(session, subject_key)
        events: dict[tuple[str, str], StudyEvent] = {}
        # One flush at the end: autoflush on every backref load would flush item by item.
        with session.no_autoflush:
            _add_all(session, subject, plan, events, study, now)
        if plan.verified:
            session.flush()
            record_event(session, BEDSIDE_ACTION, f"{subject_key}/SE.DAY0/F.INFUS",
                         new="demo", reason="second person physician")  # fmt: skip


def _add_all(
    session: Session,
    subject: Subject,
    plan: SubjectPlan,
    events: dict[tuple[str, str], StudyEvent],
    study: StudyDefinition,
    now: datetime,
) -> None:
    for (event_oid, repeat, form_oid), items in plan.values.items():
        event = events.get((event_oid, repeat))
        if event is None:
            event = StudyEvent(subject=subject, event_oid=event_oid, repeat_key=repeat)
            session.add(event)
            events[(event_oid, repeat)] = event
        form = FormData(event=event, form_oid=form_oid, mdv_oid=study.mdv_oid,
                        status="complete", updated_at=now)  # fmt: skip
        session.add(form)
        for (group, row, item_oid), value in items.items():
            unit = study.item(item_oid).unit if study.has_item(item_oid) else None
            session.add(ItemData(form=form, item_group_oid=group, group_repeat_key=row,
                                 item_oid=item_oid, value=value, unit=unit))  # fmt: skip


def _sign(ws: Workspace, subject_key: str, plan: SubjectPlan, signer: User, stage: str) -> None:
    now = ws.clock.now()
    with unit_of_work(ws, signer.id) as session:
        subject = subject_by_key(session, subject_key)
        forms = {
            (f.event.event_oid, f.event.repeat_key, f.form_oid): f
            for f in session.scalars(
                select(FormData).join(StudyEvent).where(StudyEvent.subject_id == subject.id)
            )
        }
        for (event_oid, repeat, form_oid), meaning in plan.signed:
            form = forms[(event_oid, repeat, form_oid)]
            digest = content_hash(subject_key, event_oid, repeat, form_oid, list(form.items))
            session.add(Signature(form_data_id=form.id, user_id=signer.id,
                                  printed_name=signer.full_name, meaning=meaning, signed_at=now,
                                  content_hash=digest, valid=True))  # fmt: skip
        subject.stage = stage
        session.flush()


def populate_ward_demo(
    ws: Workspace, clock: object, n_subjects: int, seed: int = 20190220
) -> dict[str, str]:
    """Create `n_subjects` demo subjects spread over SCENARIOS; returns subject ID -> scenario.

    Needs the demo users (app.services.demo.DEMO_USERNAMES) in the workspace. `clock` is the
    clock the demo is built for (the workspace's clock by default; kept for `seqtx demo`).
    """
    del clock  # the workspace's clock decides "today"
    rng = random.Random(seed)
    today = ward_today(ws.clock)
    din_params = rule_params(ws, isbt128.Isbt128Params, "cordblood")
    with ws.db.session() as session:
        nurse = user_by_name(session, DEMO_USERNAMES[Role.NURSE])
        investigator = user_by_name(session, DEMO_USERNAMES[Role.INVESTIGATOR])
        if nurse is None or investigator is None:
            raise LookupError("the demo users are missing: create the demo site first")
        nurse_id, inv_id = nurse.id, investigator.id
        site = load_settings(session).site_code or DEMO_SITE_CODE
        numbers = [int(k.rsplit("-", 1)[1]) for k in session.scalars(select(Subject.subject_key))
                   if k.rsplit("-", 1)[-1].isdigit()]  # fmt: skip
    first = max(numbers, default=0) + 1
    keys = [f"{site}-{n:03d}" for n in range(first, first + n_subjects)]
    now = ws.clock.now()
    with unit_of_work(ws, inv_id) as session:
        for n, key in enumerate(keys):
            subject = Subject(subject_key=key, site_code=site, stage="screening", created_at=now)
            subject.identity = SubjectIdentity(
                full_name=f"Demo Ward Child {first + n:03d}", hospital_number=f"DEMOW{first + n:05d}",
                birth_date=today - timedelta(days=rng.randint(4 * 365, 16 * 365)),
                sex=rng.choice(("M", "F")), guardian=f"Demo Guardian {first + n:03d}",
            )  # fmt: skip
            session.add(subject)
    out: dict[str, str] = {}
    for n, key in enumerate(keys):
        scenario = SCENARIOS[n % len(SCENARIOS)]
        plan = SubjectPlan(key, today, rng, round(rng.uniform(16, 45), 1),
                           round(rng.uniform(105, 165), 1), din_params)  # fmt: skip
        scenario.build(plan)
        _write(ws, key, plan, nurse_id)
        derived.recompute(ws, key)
        with ws.db.session() as session:
            signer = session.get(User, inv_id)
            assert signer is not None
            session.expunge(signer)
        _sign(ws, key, plan, signer, scenario.stage)
        out[key] = scenario.name
    return out


def ward_demo_step(ctx: DemoContext) -> None:
    """A DemoStep for app.services.demo.create_demo_site: the ward scenarios for N subjects."""
    populate_ward_demo(ctx.workspace, ctx.workspace.clock, ctx.n_subjects)
    add_demo_queries(ctx)

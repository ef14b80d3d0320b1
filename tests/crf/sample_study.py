"""A small study definition in the shape of the real one (infusion day, a follow-up visit, logs).

Used until tests can read the shipped definition, and for forms the real one may not have yet.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.crf.values import (
    AuditEntry,
    FormValues,
    ItemKey,
    ItemValue,
    QueryInfo,
    SignatureInfo,
    SubjectRecord,
    VisitValues,
)
from app.study.model import (
    CodeList,
    CodeListItem,
    Event,
    Form,
    Item,
    ItemGroup,
    Label,
    Range,
    StudyDefinition,
)
from app.study.rules import RuleBook

L = Label


def _yn() -> CodeList:
    return CodeList(
        "CL.NY",
        "NY",
        "text",
        (CodeListItem("Y", L("Yes", "是")), CodeListItem("N", L("No", "否"))),
    )


def _grade() -> CodeList:
    return CodeList(
        "CL.CTCAE_GRADE",
        "CTCAE grade",
        "integer",
        tuple(CodeListItem(str(g), L(f"Grade {g}", f"{g} 级")) for g in range(1, 6)),
    )


def _product() -> CodeList:
    return CodeList(
        "CL.PRODUCT",
        "Product",
        "text",
        (
            CodeListItem("UCB", L("Umbilical cord blood unit", "脐带血单位")),
            CodeListItem("ISLET", L("Islet preparation", "胰岛制剂")),
        ),
    )


def infusion_form() -> Form:
    unit = ItemGroup(
        "IG.INF",
        "INF",
        L("Cord blood unit and infusion", "脐带血单位与输注"),
        False,
        (
            Item("IT.INF.DATE", "EXSTDAT", "date", L("Infusion date", "输注日期"), required=True),
            Item("IT.INF.START", "EXSTTIM", "time", L("Infusion start time", "输注开始时间")),
            Item("IT.INF.PRODUCT", "EXTRT", "choice", L("Product", "产品"), codelist="CL.PRODUCT"),
            Item(
                "IT.INF.UNIT_ID",
                "EXLOT",
                "text",
                L("Unit ID (ISBT 128 DIN)", "单位编号（ISBT 128 DIN）"),
                length=13,
            ),
            Item(
                "IT.INF.VOLUME",
                "EXVOL",
                "float",
                L("Volume infused", "输注体积"),
                unit="mL",
                length=5,
                decimals=1,
                hard_range=Range(0, 500),
            ),
            Item(
                "IT.INF.TNC",
                "TNCDOSE",
                "float",
                L("Total nucleated cells infused", "输注总有核细胞数"),
                unit="10*7/kg",
                decimals=2,
                hard_range=Range(0, 99),
            ),
            Item(
                "IT.INF.CD34",
                "CD34DOSE",
                "float",
                L("CD34+ cells infused", "输注CD34+细胞数"),
                unit="10*5/kg",
                length=4,
                decimals=2,
                derived=True,
            ),
            Item(
                "IT.INF.PREMED", "CMPREMED", "boolean", L("Premedication given", "已给予预处理用药")
            ),
            Item(
                "IT.INF.VERIFY",
                "VERIFY",
                "choice",
                L("Two-person bedside identity check done", "双人床旁核对已完成"),
                codelist="CL.NY",
                required=True,
            ),
            Item("IT.INF.COMMENT", "COVAL", "text", L("Comments", "备注"), length=200),
        ),
    )
    vitals = ItemGroup(
        "IG.INFVS",
        "INFVS",
        L("Vital signs every 15 minutes during infusion", "输注期间每15分钟生命体征"),
        True,
        (
            Item("IT.VS.TIME", "VSTIM", "time", L("Time", "时间")),
            Item(
                "IT.VS.TEMP",
                "TEMP",
                "float",
                L("Temperature", "体温"),
                unit="Cel",
                length=3,
                decimals=1,
                hard_range=Range(30, 43),
            ),
            Item(
                "IT.VS.HR",
                "HR",
                "integer",
                L("Heart rate", "心率"),
                unit="/min",
                hard_range=Range(20, 250),
            ),
            Item(
                "IT.VS.SYS",
                "SYSBP",
                "integer",
                L("Systolic BP", "收缩压"),
                unit="mm[Hg]",
                hard_range=Range(40, 250),
            ),
            Item(
                "IT.VS.DIA",
                "DIABP",
                "integer",
                L("Diastolic BP", "舒张压"),
                unit="mm[Hg]",
                hard_range=Range(20, 150),
            ),
            Item(
                "IT.VS.SPO2",
                "SPO2",
                "integer",
                L("SpO2", "血氧饱和度"),
                unit="%",
                hard_range=Range(50, 100),
            ),
            Item("IT.VS.REACT", "REACT", "choice", L("Reaction", "反应"), codelist="CL.NY"),
        ),
        rows=12,
    )
    reaction = ItemGroup(
        "IG.INFAE",
        "INFAE",
        L("Infusion reactions", "输注反应"),
        True,
        (
            Item("IT.AE.TERM", "AETERM", "text", L("CTCAE term", "CTCAE术语"), length=60),
            Item("IT.AE.GRADE", "AETOXGR", "choice", L("Grade", "分级"), codelist="CL.CTCAE_GRADE"),
            Item("IT.AE.ACTION", "AEACN", "text", L("Intervention", "处理措施"), length=60),
        ),
        rows=4,
    )
    return Form(
        "F.INF",
        "INF",
        L("Cord blood infusion (Day 0)", "脐带血输注（第0天）"),
        "1.0",
        (unit, vitals, reaction),
        signature="investigator_approval",
    )


def followup_forms() -> tuple[Form, ...]:
    vs = ItemGroup(
        "IG.FUVS",
        "FUVS",
        L("Vital signs and growth", "生命体征与生长"),
        False,
        (
            Item("IT.FU.DATE", "VSDAT", "date", L("Visit date", "访视日期"), required=True),
            Item(
                "IT.FU.WEIGHT",
                "WEIGHT",
                "float",
                L("Weight", "体重"),
                unit="kg",
                length=4,
                decimals=1,
                hard_range=Range(2, 150),
            ),
            Item(
                "IT.FU.HEIGHT",
                "HEIGHT",
                "float",
                L("Height", "身高"),
                unit="cm",
                length=4,
                decimals=1,
                hard_range=Range(40, 200),
            ),
            Item(
                "IT.FU.BMI",
                "BMI",
                "float",
                L("Body mass index", "体重指数"),
                unit="kg/m2",
                decimals=1,
                derived=True,
                hard_range=Range(5, 60),
            ),
        ),
    )
    lab = ItemGroup(
        "IG.FULB",
        "FULB",
        L("Glycaemic control and blood counts", "血糖控制与血常规"),
        False,
        (
            Item(
                "IT.LB.HBA1C",
                "HBA1C",
                "float",
                L("HbA1c", "糖化血红蛋白"),
                unit="%",
                length=3,
                decimals=1,
                hard_range=Range(3, 20),
            ),
            Item(
                "IT.LB.CPEP",
                "CPEP",
                "float",
                L("Fasting C-peptide", "空腹C肽"),
                unit="nmol/L",
                length=4,
                decimals=2,
            ),
            Item(
                "IT.LB.INSULIN",
                "INSDOSE",
                "float",
                L("Daily insulin dose", "每日胰岛素剂量"),
                unit="U/kg/d",
                length=3,
                decimals=2,
            ),
            Item(
                "IT.LB.ANC",
                "ANC",
                "float",
                L("Absolute neutrophil count", "中性粒细胞绝对计数"),
                unit="10*9/L",
                length=4,
                decimals=2,
            ),
            Item(
                "IT.LB.PLT",
                "PLT",
                "integer",
                L("Platelets", "血小板"),
                unit="10*9/L",
                hard_range=Range(0, 2000),
            ),
            Item(
                "IT.LB.CHIM",
                "CHIM",
                "float",
                L("Donor chimerism (whole blood)", "供者嵌合率（全血）"),
                unit="%",
                length=4,
                decimals=1,
                hard_range=Range(0, 100),
            ),
            Item(
                "IT.LB.GVHD",
                "GVHD",
                "choice",
                L("Chronic GVHD present", "存在慢性移植物抗宿主病"),
                codelist="CL.NY",
            ),
        ),
    )
    fu = Form(
        "F.FU",
        "FU",
        L("Follow-up visit", "随访"),
        "1.0",
        (vs, lab),
        signature="investigator_approval",
    )
    cm = Form(
        "F.CM",
        "CM",
        L("Concomitant medication", "合并用药"),
        "1.0",
        (
            ItemGroup(
                "IG.CM",
                "CM",
                L("Medications", "药物"),
                True,
                (
                    Item("IT.CM.TRT", "CMTRT", "text", L("Medication", "药物名称"), length=40),
                    Item("IT.CM.DOSE", "CMDOSE", "float", L("Dose", "剂量"), length=5, decimals=2),
                    Item("IT.CM.UNIT", "CMDOSU", "text", L("Unit", "单位"), length=8),
                    Item("IT.CM.START", "CMSTDAT", "date", L("Start date", "开始日期")),
                    Item("IT.CM.END", "CMENDAT", "date", L("End date", "结束日期")),
                ),
                rows=10,
            ),
        ),
    )
    return fu, cm


def identification_log() -> Form:
    """The site's identification log: the one form that holds PHI (printed only to PHI roles)."""
    group = ItemGroup(
        "IG.IDLOG",
        "IDLOG",
        L("Subject identification", "受试者身份识别"),
        False,
        (
            Item("IT.ID.NAME", "NAME", "text", L("Full name", "姓名"), length=30, phi=True),
            Item(
                "IT.ID.HOSPNO",
                "HOSPNO",
                "text",
                L("Hospital number", "住院号"),
                length=10,
                phi=True,
            ),
            Item("IT.ID.CONSENT", "ICDAT", "date", L("Consent date", "知情同意日期")),
        ),
    )
    return Form(
        "F.IDLOG", "IDLOG", L("Site identification log", "中心受试者识别记录"), "1.0", (group,)
    )


def sample_study() -> StudyDefinition:
    inf = infusion_form()
    fu, cm = followup_forms()
    forms = {f.oid: f for f in (identification_log(), inf, fu, cm)}
    events = [
        Event(
            "SE.SCREEN",
            "SCREEN",
            L("Screening", "筛选"),
            "scheduled",
            "none",
            ("F.IDLOG",),
            "screening",
            order=10,
        ),
        Event(
            "SE.DAY0",
            "DAY0",
            L("Day 0 (cord blood infusion)", "第0天（脐血输注）"),
            "scheduled",
            "none",
            ("F.INF",),
            "infused",
            order=30,
        ),
        Event(
            "SE.POST",
            "POST",
            L("Post-transplant day", "移植后日"),
            "scheduled",
            "study_day",
            ("F.CM",),
            "engraftment",
            order=40,
        ),
    ]
    for n, month in enumerate(range(3, 39, 3)):
        events.append(
            Event(
                f"SE.FU{month:02d}",
                f"FU{month:02d}",
                L(f"Follow-up month {month}", f"第{month}月随访"),
                "scheduled",
                "none",
                ("F.FU", "F.CM"),
                "follow_up",
                order=100 + n,
                month=month,
            )
        )
    items = {i.oid: i for f in forms.values() for i in f.items()}
    return StudyDefinition(
        study_oid="NCT03835312",
        protocol_name="SeqTranUCBC&IC-001",
        mdv_oid="MDV.SEQTX.1",
        title=L("Sequential UCB and islet transplantation", "序贯脐血与胰岛移植"),
        events=tuple(events),
        forms=forms,
        codelists={c.oid: c for c in (_yn(), _grade(), _product())},
        rules=RuleBook("test", {}),
        _items=items,
    )


def infusion_values() -> FormValues:
    """A filled infusion form: values, a derived result, a correction, a query, two signatures."""
    items: dict[ItemKey, ItemValue] = {
        ("IG.INF", "1", "IT.INF.DATE"): ItemValue("2026-11-20"),
        ("IG.INF", "1", "IT.INF.START"): ItemValue("10:05"),
        ("IG.INF", "1", "IT.INF.PRODUCT"): ItemValue("UCB"),
        ("IG.INF", "1", "IT.INF.UNIT_ID"): ItemValue("W123426123456"),
        ("IG.INF", "1", "IT.INF.VOLUME"): ItemValue("48.5", "mL", corrected=True),
        ("IG.INF", "1", "IT.INF.TNC"): ItemValue("4.21", "10*7/kg"),
        ("IG.INF", "1", "IT.INF.CD34"): ItemValue("2.35", "10*5/kg", derived_by="cell_dose@1.0"),
        ("IG.INF", "1", "IT.INF.PREMED"): ItemValue("true"),
        ("IG.INF", "1", "IT.INF.VERIFY"): ItemValue("Y"),
        ("IG.INF", "1", "IT.INF.COMMENT"): ItemValue(None, null_flavor="NASK"),
    }
    for n in range(1, 9):
        minute = 5 + 15 * (n - 1)
        rk = str(n)
        items[("IG.INFVS", rk, "IT.VS.TIME")] = ItemValue(
            f"{10 + minute // 60:02d}:{minute % 60:02d}"
        )
        items[("IG.INFVS", rk, "IT.VS.TEMP")] = ItemValue(f"{36.6 + n * 0.1:.1f}", "Cel")
        items[("IG.INFVS", rk, "IT.VS.HR")] = ItemValue(str(96 + n), "/min", corrected=n == 3)
        items[("IG.INFVS", rk, "IT.VS.SYS")] = ItemValue("104", "mm[Hg]")
        items[("IG.INFVS", rk, "IT.VS.DIA")] = ItemValue("66", "mm[Hg]")
        items[("IG.INFVS", rk, "IT.VS.SPO2")] = ItemValue("98", "%")
        items[("IG.INFVS", rk, "IT.VS.REACT")] = ItemValue("N")
    items[("IG.INFAE", "1", "IT.AE.TERM")] = ItemValue("Infusion related reaction")
    items[("IG.INFAE", "1", "IT.AE.GRADE")] = ItemValue("1")
    items[("IG.INFAE", "1", "IT.AE.ACTION")] = ItemValue("Rate slowed; chlorphenamine 1 mg IV")
    at = datetime(2026, 11, 20, 3, 40, tzinfo=UTC)
    audit = (
        AuditEntry(at, 480, "Li Na", "insert", "IG.INF[1]/IT.INF.VOLUME", None, "45.8", None),
        AuditEntry(
            at + timedelta(hours=2),
            480,
            "Li Na",
            "update",
            "IG.INF[1]/IT.INF.VOLUME",
            "45.8",
            "48.5",
            "transcription error: bag label reads 48.5 mL",
        ),
        AuditEntry(
            at + timedelta(hours=3),
            480,
            "Wang Wei",
            "update",
            "IG.INFVS[3]/IT.VS.HR",
            "89",
            "99",
            "monitor printout checked",
        ),
    )
    queries = (
        QueryInfo(
            "Q-0001",
            ("IG.INF", "1", "IT.INF.TNC"),
            "TNC dose differs from the cord bank report (4.12); please confirm.",
            at + timedelta(days=1),
        ),
    )
    signatures = (
        SignatureInfo(
            "Dr Zhang Min",
            "investigator_approval",
            at + timedelta(hours=1),
            valid=False,
            invalidated_at=at + timedelta(hours=2),
            utc_offset_minutes=480,
        ),
        SignatureInfo(
            "Dr Zhang Min", "investigator_approval", at + timedelta(hours=4), utc_offset_minutes=480
        ),
    )
    return FormValues("F.INF", items, "complete", audit, queries, signatures)


def followup_values(month: int) -> tuple[FormValues, FormValues]:
    items: dict[ItemKey, ItemValue] = {
        ("IG.FUVS", "1", "IT.FU.DATE"): ItemValue(
            f"{2027 + (month + 10) // 12}-{(month + 10) % 12 + 1:02d}-18"
        ),
        ("IG.FUVS", "1", "IT.FU.WEIGHT"): ItemValue(f"{30 + month * 0.2:.1f}", "kg"),
        ("IG.FUVS", "1", "IT.FU.HEIGHT"): ItemValue(f"{135 + month * 0.4:.1f}", "cm"),
        ("IG.FUVS", "1", "IT.FU.BMI"): ItemValue("16.4", "kg/m2", derived_by="bmi@1.0"),
        ("IG.FULB", "1", "IT.LB.HBA1C"): ItemValue("6.8", "%"),
        ("IG.FULB", "1", "IT.LB.CPEP"): ItemValue("0.42", "nmol/L"),
        ("IG.FULB", "1", "IT.LB.INSULIN"): ItemValue("0.35", "U/kg/d"),
        ("IG.FULB", "1", "IT.LB.ANC"): ItemValue("2.10", "10*9/L"),
        ("IG.FULB", "1", "IT.LB.PLT"): ItemValue("215", "10*9/L"),
        ("IG.FULB", "1", "IT.LB.CHIM"): ItemValue("99.0", "%"),
        ("IG.FULB", "1", "IT.LB.GVHD"): ItemValue("N"),
    }
    cm: dict[ItemKey, ItemValue] = {}
    for n, (drug, dose, unit) in enumerate(
        (
            ("Ciclosporin", "50", "mg"),
            ("Insulin glargine", "8", "U"),
            ("Co-trimoxazole", "240", "mg"),
        ),
        start=1,
    ):
        cm[("IG.CM", str(n), "IT.CM.TRT")] = ItemValue(drug)
        cm[("IG.CM", str(n), "IT.CM.DOSE")] = ItemValue(dose)
        cm[("IG.CM", str(n), "IT.CM.UNIT")] = ItemValue(unit)
        cm[("IG.CM", str(n), "IT.CM.START")] = ItemValue("2026-11-10")
    sig = SignatureInfo(
        "Dr Zhang Min",
        "investigator_approval",
        datetime(2027, 2, 18, 6, 0, tzinfo=UTC),
        utc_offset_minutes=480,
    )
    return FormValues("F.FU", items, "complete", signatures=(sig,)), FormValues("F.CM", cm)


def subject_record(months: int = 36, post_days: int = 30) -> SubjectRecord:
    """A subject from Day 0 to `months` of follow-up, with daily post-transplant medication logs."""
    visits = [VisitValues("SE.DAY0", "", date(2026, 11, 20), (infusion_values(),))]
    for day in range(1, post_days + 1):
        _, cm = followup_values(0)
        visits.append(
            VisitValues("SE.POST", str(day), date(2026, 11, 20) + timedelta(days=day), (cm,))
        )
    for month in range(3, months + 1, 3):
        visits.append(VisitValues(f"SE.FU{month:02d}", "", None, followup_values(month)))
    return SubjectRecord("FD-001", "CHFU", tuple(visits))


def synthetic_form(study: StudyDefinition, form_oid: str) -> FormValues:
    """Every item of a form of the shipped definition filled with a value of its type."""
    items: dict[ItemKey, ItemValue] = {}
    for group in study.form(form_oid).groups:
        for row in range(1, (min(group.rows, 3) if group.repeating else 1) + 1):
            for item in group.items:
                items[(group.oid, str(row), item.oid)] = ItemValue(value_of(study, item), item.unit)
    return FormValues(form_oid, items, "complete")


def value_of(study: StudyDefinition, item: Item) -> str:
    kind = item.data_type
    if kind in ("integer", "float"):
        low = item.hard_range.low if item.hard_range and item.hard_range.low is not None else 0
        high = item.hard_range.high if item.hard_range and item.hard_range.high is not None else 10
        mid = (low + high) / 2
        return str(round(mid)) if kind == "integer" else f"{mid:.{item.decimals or 1}f}"
    if kind == "date":
        return "2027-03-15"
    if kind == "datetime":
        return "2027-03-15T10:30"
    if kind == "time":
        return "10:30"
    if kind == "boolean":
        return "1"
    if kind == "choice" and item.codelist and item.codelist in study.codelists:
        return study.codelists[item.codelist].items[0].code
    return "synthetic text"

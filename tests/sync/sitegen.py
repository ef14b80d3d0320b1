"""Synthetic site databases for the sync tests and bench (through the real audit listener).

A small study definition with the shapes the sync must handle (non-repeating and per-day events, a
repeating item group, units, a code list, a PHI item) and a site filled through SQLAlchemy
sessions that carry an AuditContext, so db.audit writes the audit trail exactly as the app does.
`bulk_site` writes a large site directly (ItemData + matching audit rows) for the bench.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.study.model import (
    CodeList,
    CodeListItem,
    Event,
    Form,
    Item,
    ItemGroup,
    Label,
    StudyDefinition,
)
from app.study.rules import RuleBook
from db.audit import AuditContext, set_audit_context
from db.engine import Database
from db.models import (
    FormData,
    ItemData,
    Setting,
    Signature,
    StudyEvent,
    Subject,
    SubjectIdentity,
    User,
)
from db.site_db import create_site_database

SITE = "FD"
T0 = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)


def _label(text: str) -> Label:
    return Label(text, text)


def mini_study(mdv_oid: str = "MDV.SEQTX.1") -> StudyDefinition:
    sex = CodeList(
        "CL.SEX",
        "Sex",
        "text",
        (CodeListItem("M", _label("Male")), CodeListItem("F", _label("Female"))),
    )
    demog = Form(
        "F.DEMOG",
        "Demographics",
        _label("Demographics"),
        "1",
        (
            ItemGroup(
                "IG.DEMOG",
                "Demographics",
                _label("Demographics"),
                False,
                (
                    Item("IT.DM.SEX", "SEX", "choice", _label("Sex"), codelist="CL.SEX"),
                    Item("IT.DM.HEIGHT", "HEIGHT", "float", _label("Height"), unit="cm"),
                    Item("IT.DM.INITIALS", "INITIALS", "text", _label("Initials"), phi=True),
                    Item("IT.DM.NOTE", "NOTE", "text", _label("Note")),
                ),
            ),
        ),
        signature="investigator_approval",
    )
    lab = Form(
        "F.LAB",
        "Laboratory",
        _label("Laboratory"),
        "1",
        (
            ItemGroup(
                "IG.LAB",
                "Laboratory",
                _label("Laboratory"),
                True,
                tuple(
                    Item(f"IT.LB.{n}", n, "float", _label(n), unit=u)
                    for n, u in (
                        ("ANC", "10*9/L"),
                        ("HGB", "g/L"),
                        ("PLT", "10*9/L"),
                        ("WBC", "10*9/L"),
                    )
                ),
            ),
        ),
    )
    forms = {f.oid: f for f in (demog, lab)}
    items = {i.oid: i for f in forms.values() for i in f.items()}
    return StudyDefinition(
        study_oid="NCT03835312",
        protocol_name="SeqTranUCBC&IC-001",
        mdv_oid=mdv_oid,
        title=_label("Sequential UCB and islet transplantation"),
        events=(
            Event(
                "SE.SCREEN",
                "Screening",
                _label("Screening"),
                "scheduled",
                "none",
                ("F.DEMOG",),
                "screening",
            ),
            Event(
                "SE.COND",
                "Conditioning",
                _label("Conditioning"),
                "scheduled",
                "study_day",
                ("F.LAB",),
                "conditioning",
            ),
        ),
        forms=forms,
        codelists={"CL.SEX": sex},
        rules=RuleBook("test", {}),
        _items=items,
    )


@dataclass
class SitePeople:
    """PHI of the synthetic subjects, for the PHI scan."""

    names: list[str]
    hospital_numbers: list[str]
    birth_dates: list[date]
    guardians: list[str]


def _ctx(session: Session, user_id: int | None, now: datetime, reason: str | None = None) -> None:
    set_audit_context(
        session, AuditContext(user_id=user_id, now=now, offset_minutes=480, reason=reason)
    )


def new_site(
    path: Path, n_subjects: int = 3, days: int = 3, seed: int = 7
) -> tuple[Database, SitePeople]:
    """A site database with users, subjects (with PHI), forms, values and one signature."""
    rng = random.Random(seed)
    db = create_site_database(path, secrets.token_bytes(32))
    people = SitePeople([], [], [], [])
    with db.session() as s:
        s.add(Setting(key="site_code", value=json.dumps(SITE)))
        for i, (name, role) in enumerate(
            (("Wang Investigator", "investigator"), ("Li Nurse", "nurse"))
        ):
            s.add(
                User(
                    username=f"user{i}",
                    full_name=name,
                    role=role,
                    password_hash="x",
                    created_at=T0,
                    user_oid=f"USR.{secrets.token_hex(4)}",
                )
            )
    with db.session() as s:
        uid = s.scalars(select(User.id).where(User.role == "nurse")).one()
        _ctx(s, uid, T0)
        for n in range(1, n_subjects + 1):
            name = f"Zhangsan Child{n:03d}"
            hosp = f"HN{7300000 + n * 37}"
            dob = date(2015, 1, 1) + timedelta(days=97 * n)
            guardian = f"Guardian Parent{n:03d}"
            people.names.append(name)
            people.hospital_numbers.append(hosp)
            people.birth_dates.append(dob)
            people.guardians.append(guardian)
            subject = Subject(subject_key=f"{SITE}-{n:03d}", site_code=SITE, created_at=T0)
            subject.identity = SubjectIdentity(
                full_name=name, hospital_number=hosp, birth_date=dob, sex="F", guardian=guardian
            )
            screen = StudyEvent(event_oid="SE.SCREEN", repeat_key="")
            subject.events.append(screen)
            demog = FormData(form_oid="F.DEMOG", mdv_oid="MDV.SEQTX.1", updated_at=T0)
            screen.forms.append(demog)
            demog.items += [
                ItemData(item_group_oid="IG.DEMOG", item_oid="IT.DM.SEX", value="F"),
                ItemData(
                    item_group_oid="IG.DEMOG",
                    item_oid="IT.DM.HEIGHT",
                    value=f"{rng.uniform(90, 160):.1f}",
                    unit="cm",
                ),
                ItemData(item_group_oid="IG.DEMOG", item_oid="IT.DM.INITIALS", value="ZC"),
                ItemData(
                    item_group_oid="IG.DEMOG",
                    item_oid="IT.DM.NOTE",
                    value=f'lives near {hosp[:2]} & <ok> "quoted"',
                ),
            ]
            for day in range(-days, 0):
                ev = StudyEvent(event_oid="SE.COND", repeat_key=str(day))
                subject.events.append(ev)
                lab = FormData(form_oid="F.LAB", mdv_oid="MDV.SEQTX.1", updated_at=T0)
                ev.forms.append(lab)
                for row in (1, 2):
                    for item, unit in (("ANC", "10*9/L"), ("HGB", "g/L"), ("PLT", "10*9/L")):
                        lab.items.append(
                            ItemData(
                                item_group_oid="IG.LAB",
                                group_repeat_key=str(row),
                                item_oid=f"IT.LB.{item}",
                                value=f"{rng.uniform(0.1, 150):.2f}",
                                unit=unit,
                            )
                        )
                lab.items.append(
                    ItemData(
                        item_group_oid="IG.LAB",
                        group_repeat_key="3",
                        item_oid="IT.LB.WBC",
                        null_flavor="NASK",
                    )
                )
            s.add(subject)
    with db.session() as s:
        inv = s.scalars(select(User).where(User.role == "investigator")).one()
        form = s.scalars(select(FormData).where(FormData.form_oid == "F.DEMOG")).first()
        assert form is not None
        _ctx(s, inv.id, T0 + timedelta(hours=1))
        s.add(
            Signature(
                form_data_id=form.id,
                user_id=inv.id,
                printed_name=inv.full_name,
                meaning="investigator_approval",
                signed_at=T0 + timedelta(hours=1),
                content_hash="ab" * 32,
            )
        )
    return db, people


def edit_values(db: Database, n: int, when: datetime, seed: int = 3) -> list[tuple[int, str]]:
    """Change `n` lab values (with a reason, as a user would); returns (item id, new value)."""
    rng = random.Random(seed)
    changed = []
    with db.session() as s:
        uid = s.scalars(select(User.id).where(User.role == "nurse")).one()
        _ctx(s, uid, when, reason="transcription error")
        ids = s.scalars(
            select(ItemData.id).where(ItemData.item_oid == "IT.LB.ANC").order_by(ItemData.id)
        ).all()
        for iid in rng.sample(list(ids), min(n, len(ids))):
            item = s.get(ItemData, iid)
            assert item is not None
            item.value = f"{rng.uniform(0.1, 9):.2f}"
            changed.append((iid, item.value))
    return changed


def bulk_site(
    path: Path, n_subjects: int = 500, days: int = 42, rows: int = 12
) -> tuple[Database, int]:
    """A big site quickly: Core inserts of subjects, identities, events, forms, values and one
    hash-chained `insert` audit row per value (as the listener would write). Returns the
    database and the number of item values (500 x 42 x 12 x 4 = 1,008,000 by default)."""
    from db.audit import GENESIS_HASH, row_hash

    rng = random.Random(11)
    db = create_site_database(path, secrets.token_bytes(32))
    with db.session() as s:
        s.add(Setting(key="site_code", value=json.dumps(SITE)))
        s.add(
            User(
                username="nurse",
                full_name="Bulk Nurse",
                role="nurse",
                password_hash="x",
                created_at=T0,
                user_oid="USR.bulk01",
            )
        )
    items = (("ANC", "10*9/L"), ("HGB", "g/L"), ("PLT", "10*9/L"), ("WBC", "10*9/L"))
    n_values = 0
    ts = T0.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime text
    item_sql = (
        "INSERT INTO item_data (id, form_data_id, item_group_oid, group_repeat_key, item_oid,"
        " value, unit) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    audit_sql = (
        "INSERT INTO audit_records (id, user_id, ts_utc, utc_offset_minutes, action, path,"
        " old_value, new_value, reason, prev_hash, hash) VALUES (?, ?, ?, 480, 'insert', ?,"
        " NULL, ?, NULL, ?, ?)"
    )
    with db.engine.begin() as conn:
        uid = conn.execute(select(User.id)).scalar_one()
        raw = conn.connection.driver_connection
        assert raw is not None
        subjects, identities, events, forms = [], [], [], []
        values: list[tuple[object, ...]] = []
        audits: list[tuple[object, ...]] = []
        event_id = form_id = item_id = 0
        prev = GENESIS_HASH
        for n in range(1, n_subjects + 1):
            key = f"{SITE}-{n:03d}"
            subjects.append(
                {
                    "id": n,
                    "subject_key": key,
                    "site_code": SITE,
                    "stage": "conditioning",
                    "created_at": T0,
                }
            )
            identities.append(
                {
                    "subject_id": n,
                    "full_name": f"Bulk Child {n:03d}",
                    "hospital_number": f"HN{n:07d}",
                    "birth_date": date(2012, 1, 1) + timedelta(days=n),
                    "sex": "M",
                    "guardian": f"Bulk Guardian {n:03d}",
                }
            )
            for day in range(-days // 2, days - days // 2):
                event_id += 1
                form_id += 1
                events.append(
                    {
                        "id": event_id,
                        "subject_id": n,
                        "event_oid": "SE.COND",
                        "repeat_key": str(day),
                        "event_date": None,
                    }
                )
                forms.append(
                    {
                        "id": form_id,
                        "study_event_id": event_id,
                        "form_oid": "F.LAB",
                        "mdv_oid": "MDV.SEQTX.1",
                        "status": "incomplete",
                        "sdv": False,
                        "updated_at": T0,
                    }
                )
                for row in range(1, rows + 1):
                    for item, unit in items:
                        item_id += 1
                        value = f"{rng.uniform(0.1, 150):.2f}"
                        values.append(
                            (item_id, form_id, "IG.LAB", str(row), f"IT.LB.{item}", value, unit)
                        )
                        path = f"{key}/SE.COND[{day}]/F.LAB/IG.LAB[{row}]/IT.LB.{item}"
                        new = f"{value} {unit}"
                        digest = row_hash(
                            row_id=item_id,
                            user_id=uid,
                            ts_utc=T0,
                            utc_offset_minutes=480,
                            action="insert",
                            path=path,
                            old_value=None,
                            new_value=new,
                            reason=None,
                            prev_hash=prev,
                        )
                        audits.append((item_id, uid, ts, path, new, prev, digest))
                        prev = digest
            if len(values) >= 100_000 or n == n_subjects:
                for model, batch in (
                    (Subject, subjects),
                    (SubjectIdentity, identities),
                    (StudyEvent, events),
                    (FormData, forms),
                ):
                    if batch:
                        conn.execute(model.__table__.insert(), batch)  # type: ignore[attr-defined]
                raw.executemany(item_sql, values)
                raw.executemany(audit_sql, audits)
                n_values += len(values)
                for batch in (subjects, identities, events, forms, values, audits):
                    batch.clear()
    return db, n_values

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

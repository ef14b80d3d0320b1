"""crf_data: what a filled CRF prints, read from a real SQLCipher site database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.crf.documents import render_filled_visit
from app.domain.clock import FixedClock
from app.services.auth import UserSession
from app.services.crf_data import MASKED, load_subject, load_visits, site_of
from app.services.errors import PermissionDenied, SessionEnded, SubjectNotFound, UnknownForm
from app.services.permissions import Role
from app.services.workspace import Workspace
from db.engine import Database, create_sqlcipher_engine
from db.models import (
    AuditRecord,
    Base,
    FormData,
    ItemData,
    Query,
    Setting,
    Signature,
    StudyEvent,
    Subject,
    User,
)
from tests.crf.conftest import CREATED, pdf_text, squash
from tests.crf.sample_study import sample_study

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
USERS = {
    Role.INVESTIGATOR: (1, "zhang", "Dr Zhang Min"),
    Role.NURSE: (2, "lina", "Li Na"),
    Role.DATA_MANAGER: (3, "dm", "Chen Jie"),
    Role.ADMINISTRATOR: (4, "admin", "Site Admin"),
}


def _user(role: Role) -> UserSession:
    uid, name, full = USERS[role]
    return UserSession(uid, name, full, role)


def _audit(
    session: Session,
    n: int,
    user: int | None,
    action: str,
    path: str,
    old: str | None,
    new: str | None,
    reason: str | None = None,
) -> None:
    session.add(
        AuditRecord(
            user_id=user,
            ts_utc=T0 + timedelta(minutes=10 * n),
            utc_offset_minutes=480,
            action=action,
            path=path,
            old_value=old,
            new_value=new,
            reason=reason,
            prev_hash=f"{n - 1:064d}",
            hash=f"{n:064d}",
        )
    )


def _seed(session: Session) -> None:
    for role, (uid, name, full) in USERS.items():
        session.add(
            User(
                id=uid,
                username=name,
                full_name=full,
                role=role.value,
                password_hash="x",
                created_at=T0,
                user_oid=f"U{uid}",
            )
        )
    session.add_all(
        [
            Setting(key="site_code", value='"CHFU"'),
            Setting(key="site_name", value='"复旦大学附属儿科医院"'),
        ]
    )
    subject = Subject(subject_key="FD-001", site_code="CHFU", stage="follow_up", created_at=T0)
    session.add(subject)
    session.flush()
    day0 = StudyEvent(
        subject_id=subject.id, event_oid="SE.DAY0", repeat_key="", event_date=date(2026, 11, 20)
    )
    screen = StudyEvent(subject_id=subject.id, event_oid="SE.SCREEN", repeat_key="")
    posts = [
        StudyEvent(subject_id=subject.id, event_oid="SE.POST", repeat_key=k) for k in ("10", "2")
    ]
    session.add_all([day0, screen, *posts])
    session.flush()
    inf = FormData(
        study_event_id=day0.id,
        form_oid="F.INF",
        mdv_oid="MDV.SEQTX.1",
        status="complete",
        updated_at=T0,
    )
    idlog = FormData(
        study_event_id=screen.id, form_oid="F.IDLOG", mdv_oid="MDV.SEQTX.1", updated_at=T0
    )
    cms = [
        FormData(study_event_id=p.id, form_oid="F.CM", mdv_oid="MDV.SEQTX.1", updated_at=T0)
        for p in posts
    ]
    session.add_all([inf, idlog, *cms])
    session.flush()
    session.add_all(
        [
            ItemData(
                form_data_id=inf.id,
                item_group_oid="IG.INF",
                item_oid="IT.INF.VOLUME",
                value="48.5",
                unit="mL",
            ),
            ItemData(
                form_data_id=inf.id,
                item_group_oid="IG.INF",
                item_oid="IT.INF.CD34",
                value="2.35",
                unit="10*5/kg",
                derived_by="cell_dose@1.0",
            ),
            ItemData(
                form_data_id=inf.id,
                item_group_oid="IG.INF",
                item_oid="IT.INF.COMMENT",
                null_flavor="NASK",
            ),
            ItemData(
                form_data_id=inf.id,
                item_group_oid="IG.INFVS",
                group_repeat_key="2",
                item_oid="IT.VS.HR",
                value="99",
                unit="/min",
            ),
            ItemData(
                form_data_id=idlog.id,
                item_group_oid="IG.IDLOG",
                item_oid="IT.ID.NAME",
                value="王小明",
            ),
            ItemData(
                form_data_id=idlog.id,
                item_group_oid="IG.IDLOG",
                item_oid="IT.ID.CONSENT",
                value="2026-09-01",
            ),
        ]
        + [
            ItemData(
                form_data_id=cm.id, item_group_oid="IG.CM", item_oid="IT.CM.TRT", value=f"Drug {n}"
            )
            for n, cm in enumerate(cms)
        ]
    )
    vol = "FD-001/SE.DAY0/F.INF/IG.INF[1]/IT.INF.VOLUME"
    _audit(session, 1, 2, "insert", vol, None, "45.8 mL")
    _audit(
        session, 2, 2, "insert", "FD-001/SE.DAY0/F.INF/IG.INF[1]/IT.INF.CD34", None, "2.29 10*5/kg"
    )
    _audit(session, 3, 1, "sign", "FD-001/SE.DAY0/F.INF", None, "investigator_approval abc")
    _audit(session, 4, 2, "update", vol, "45.8 mL", "48.5 mL", "bag label reads 48.5 mL")
    _audit(
        session,
        5,
        None,
        "update",
        "FD-001/SE.DAY0/F.INF/IG.INF[1]/IT.INF.CD34",
        "2.29 10*5/kg",
        "2.35 10*5/kg",
        "recomputed by cell_dose@1.0",
    )
    _audit(
        session, 6, 2, "insert", "FD-001/SE.SCREEN/F.IDLOG/IG.IDLOG[1]/IT.ID.NAME", None, "王小明"
    )
    session.add_all(
        [
            Signature(
                form_data_id=inf.id,
                user_id=1,
                printed_name="Dr Zhang Min",
                meaning="investigator_approval",
                signed_at=T0 + timedelta(minutes=30),
                content_hash="a" * 64,
                valid=False,
                invalidated_at=T0 + timedelta(minutes=40),
            ),
            Signature(
                form_data_id=inf.id,
                user_id=1,
                printed_name="Dr Zhang Min",
                meaning="investigator_approval",
                signed_at=T0 + timedelta(minutes=60),
                content_hash="b" * 64,
            ),
            Query(
                query_oid="Q-0001",
                form_data_id=inf.id,
                item_group_oid="IG.INF",
                item_oid="IT.INF.VOLUME",
                text="Volume differs from the bag label?",
                raised_at=T0,
                status="open",
            ),
            Query(
                query_oid="Q-0002",
                form_data_id=inf.id,
                item_group_oid="IG.INF",
                item_oid="IT.INF.CD34",
                text="closed one",
                raised_at=T0,
                status="closed",
            ),
        ]
    )


@pytest.fixture
def ws(db_path: Path) -> Iterator[Workspace]:
    db_path.parent.mkdir(parents=True)
    engine = create_sqlcipher_engine(db_path, os.urandom(32))
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        _seed(session)
    workspace = Workspace(Database(engine, db_path), sample_study(), FixedClock(CREATED), db_path)
    yield workspace
    workspace.close()


def test_visit_values_carry_units_derivation_correction_queries_and_signatures(
    ws: Workspace,
) -> None:
    site, visits = load_visits(ws, _user(Role.NURSE), "FD-001", "SE.DAY0")
    assert (site.code, site.name) == ("CHFU", "复旦大学附属儿科医院")
    [visit] = visits
    form = visit.forms[0]
    volume = form.items[("IG.INF", "1", "IT.INF.VOLUME")]
    assert (volume.value, volume.unit, volume.corrected) == ("48.5", "mL", True)
    cd34 = form.items[("IG.INF", "1", "IT.INF.CD34")]
    # a recomputation by the rule is not a correction
    assert cd34.derived_by == "cell_dose@1.0" and not cd34.corrected
    assert form.items[("IG.INF", "1", "IT.INF.COMMENT")].null_flavor == "NASK"
    assert [q.query_oid for q in form.queries] == ["Q-0001"]  # closed queries are not printed
    assert [(s.valid, s.printed_name) for s in form.signatures] == [
        (False, "Dr Zhang Min"),
        (True, "Dr Zhang Min"),
    ]
    assert [(a.user, a.item, a.reason) for a in form.audit if a.action == "update"] == [
        ("Li Na", "IG.INF[1]/IT.INF.VOLUME", "bag label reads 48.5 mL"),
        ("system", "IG.INF[1]/IT.INF.CD34", "recomputed by cell_dose@1.0"),
    ]


def test_filled_crf_from_the_database(ws: Workspace, tmp_path: Path) -> None:
    site, [visit] = load_visits(ws, _user(Role.INVESTIGATOR), "FD-001", "SE.DAY0")
    pdf = tmp_path / "day0.pdf"
    render_filled_visit(sample_study(), "FD-001", visit, pdf, created=CREATED, site=site)
    text = squash("".join(pdf_text(pdf)))
    assert "48.5mL†" in text and "已更正Corrected" in text
    assert "已失效INVALIDATED" in text
    assert "签名人Signedby:DrZhangMin" in text
    assert "baglabelreads48.5mL" in text  # the audit appendix


def test_phi_is_masked_for_roles_without_view_phi(ws: Workspace) -> None:
    _, [dm_visit] = load_visits(ws, _user(Role.DATA_MANAGER), "FD-001", "SE.SCREEN")
    dm_form = dm_visit.forms[0]
    assert dm_form.items[("IG.IDLOG", "1", "IT.ID.NAME")].value == MASKED
    assert all(a.new_value == MASKED for a in dm_form.audit)
    assert dm_form.items[("IG.IDLOG", "1", "IT.ID.CONSENT")].value == "2026-09-01"
    _, [inv_visit] = load_visits(ws, _user(Role.INVESTIGATOR), "FD-001", "SE.SCREEN")
    assert inv_visit.forms[0].items[("IG.IDLOG", "1", "IT.ID.NAME")].value == "王小明"


def test_repeating_events_in_repeat_order_and_one_by_key(ws: Workspace) -> None:
    _, visits = load_visits(ws, _user(Role.NURSE), "FD-001", "SE.POST")
    assert [v.repeat_key for v in visits] == ["2", "10"]
    _, [one] = load_visits(ws, _user(Role.NURSE), "FD-001", "SE.POST", "10")
    assert one.repeat_key == "10"


def test_an_event_without_data_gives_an_empty_visit(ws: Workspace) -> None:
    _, [visit] = load_visits(ws, _user(Role.NURSE), "FD-001", "SE.FU03")
    assert (visit.event_oid, visit.forms) == ("SE.FU03", ())


def test_casebook_record_holds_every_visit(ws: Workspace) -> None:
    site, record = load_subject(ws, _user(Role.INVESTIGATOR), "FD-001")
    assert record.subject_key == "FD-001" and site.code == "CHFU"
    assert sorted(v.event_oid for v in record.visits) == [
        "SE.DAY0",
        "SE.POST",
        "SE.POST",
        "SE.SCREEN",
    ]
    assert site_of(ws) == site


def test_refusals(ws: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        load_subject(ws, _user(Role.ADMINISTRATOR), "FD-001")  # administrators print no CRFs
    with pytest.raises(SubjectNotFound):
        load_subject(ws, _user(Role.NURSE), "FD-404")
    with pytest.raises(UnknownForm):
        load_visits(ws, _user(Role.NURSE), "FD-001", "SE.NOPE")
    with pytest.raises(SessionEnded):
        load_subject(ws, UserSession(99, "ghost", "Ghost", Role.NURSE), "FD-001")

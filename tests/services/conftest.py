"""Service tests: real SQLCipher files in tmp_path, an in-memory keyring, a small study definition."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from argon2 import PasswordHasher
from keyring.backend import KeyringBackend

from app.domain.clock import FixedClock
from app.services import passwords
from app.services.auth import UserSession, login
from app.services.permissions import Role
from app.services.site_setup import SetupResult, setup_site
from app.services.subjects import NewSubject, create_subject
from app.services.users import create_user
from app.services.workspace import Workspace
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
from db import keys

ADMIN_PASSWORD = "head of ward passphrase"
STAFF_PASSWORD = "staff passphrase for the ward"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keys.allow_backend_for_tests(MemoryKeyring)
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _label(text: str) -> Label:
    return Label(text, text)


def small_study() -> StudyDefinition:
    """Screening with vital signs (hard and soft ranges), a choice, a repeating group."""
    vitals = ItemGroup(
        "IG.VS",
        "VS",
        _label("Vital signs"),
        repeating=False,
        items=(
            Item(
                "IT.VS.WEIGHT",
                "WEIGHT",
                "float",
                _label("Weight"),
                unit="kg",
                hard_range=Range(0.5, 150),
                soft_range=Range(5, 100),
                decimals=1,
            ),
            Item(
                "IT.VS.HR",
                "HR",
                "integer",
                _label("Heart rate"),
                unit="/min",
                hard_range=Range(20, 250),
            ),
            Item("IT.VS.DATE", "VSDAT", "date", _label("Date"), required=True),
            Item("IT.VS.DONE", "VSPERF", "boolean", _label("Done")),
            Item("IT.VS.SEX", "SEX", "choice", _label("Sex"), codelist="CL.SEX"),
            Item("IT.VS.BMI", "BMI", "float", _label("BMI"), derived=True),
            Item("IT.VS.ADDRESS", "ADDR", "text", _label("Address"), phi=True, length=100),
        ),
    )
    meds = ItemGroup(
        "IG.CM",
        "CM",
        _label("Medications"),
        repeating=True,
        items=(
            Item(
                "IT.CM.DOSE",
                "CMDOSE",
                "float",
                _label("Dose"),
                unit="mg",
                hard_range=Range(0, 1000),
            ),
        ),
    )
    form = Form(
        "F.VS", "VS", _label("Vital signs"), "1", (vitals, meds), signature="investigator_approval"
    )
    items = {i.oid: i for g in form.groups for i in g.items}
    events = (
        Event(
            "SE.SCREEN",
            "Screening",
            _label("Screening"),
            "scheduled",
            "none",
            ("F.VS",),
            "screening",
            1,
        ),
        Event("SE.POST", "Post", _label("Post"), "scheduled", "study_day", ("F.VS",), "infused", 2),
    )
    sex = CodeList(
        "CL.SEX",
        "SEX",
        "text",
        (CodeListItem("M", _label("Male")), CodeListItem("F", _label("Female"))),
    )
    return StudyDefinition(
        study_oid="NCT03835312",
        protocol_name="SeqTranUCBC&IC-001",
        mdv_oid="MDV.TEST.1",
        title=_label("Test study"),
        events=events,
        forms={"F.VS": form},
        codelists={"CL.SEX": sex},
        rules=RuleBook("TEST.1", {}),
        _items=items,
    )


@pytest.fixture
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 cost for tests that hash many passwords (production cost: test_passwords)."""
    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    monkeypatch.setattr(
        keys,
        "KdfParams",
        functools.partial(keys.KdfParams, time_cost=1, memory_cost_kib=1024, parallelism=1),
    )


@pytest.fixture
def site(
    db_path: Path, clock: FixedClock, memory_keyring: MemoryKeyring, fast_argon2: None
) -> Iterator[SetupResult]:
    result = setup_site(
        db_path, "FD", "Fudan Children's", "admin", "Ada Admin", ADMIN_PASSWORD, clock
    )
    yield result
    result.workspace.close()


@pytest.fixture
def ws(site: SetupResult) -> Workspace:
    site.workspace.study = small_study()
    return site.workspace


@pytest.fixture
def admin(ws: Workspace) -> UserSession:
    return login(ws, "admin", ADMIN_PASSWORD)


@pytest.fixture
def staff(ws: Workspace, admin: UserSession) -> dict[Role, UserSession]:
    """One logged-in user per clinical role."""
    sessions: dict[Role, UserSession] = {Role.ADMINISTRATOR: admin}
    for role in Role:
        if role is Role.ADMINISTRATOR:
            continue
        name = role.value.replace("_", "")
        create_user(ws, admin, name, f"Test {role.value}", role, STAFF_PASSWORD)
        sessions[role] = login(ws, name, STAFF_PASSWORD)
    return sessions


@pytest.fixture
def subject_key(ws: Workspace, staff: dict[Role, UserSession], clock: FixedClock) -> str:
    identity = NewSubject("Marker Childname", "HN-778899", clock.today().replace(year=2018), "F")
    return create_subject(ws, staff[Role.INVESTIGATOR], identity).subject_key

"""A demo site: admin `admin`, one user per role, N synthetic subjects ("Demo Child 001", ...).

Built from steps so later issues extend it: each step is a function of a DemoContext; append to
DEFAULT_STEPS (or pass `steps=`) to add subjects at every treatment stage. All names are clearly
synthetic; random choices come from a seeded generator so a demo database is reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from app.domain.clock import Clock
from app.services._uow import unit_of_work, user_by_name
from app.services.auth import UserSession
from app.services.forms import ItemKey, save_form, validate_values
from app.services.permissions import Role
from app.services.site_setup import SetupResult, setup_site
from app.services.subjects import NewSubject, create_subject
from app.services.users import add_user
from app.services.workspace import Workspace
from app.study.model import Form, Item, StudyDefinition

DEMO_SITE_CODE = "FD"
DEMO_SITE_NAME = "Demo site (synthetic data)"
# Username of the demo user of each role; all share the password given to create_demo_site.
DEMO_USERNAMES: Mapping[Role, str] = {
    Role.ADMINISTRATOR: "admin",
    Role.INVESTIGATOR: "investigator",
    Role.PHYSICIAN: "physician",
    Role.NURSE: "nurse",
    Role.DATA_MANAGER: "datamanager",
    Role.MONITOR: "monitor",
}
SCREENING_EVENT = "SE.SCREEN"


@dataclass
class DemoContext:
    workspace: Workspace
    users: Mapping[Role, UserSession]
    n_subjects: int
    rng: random.Random
    subject_keys: list[str] = field(default_factory=list)  # filled by the steps that create them


DemoStep = Callable[[DemoContext], None]


def add_subjects(ctx: DemoContext) -> None:
    """N subjects in screening with synthetic identities (ages 2 to 17 years)."""
    today = ctx.workspace.clock.now().date()
    investigator = ctx.users[Role.INVESTIGATOR]
    for n in range(1, ctx.n_subjects + 1):
        age_days = ctx.rng.randint(2 * 365, 17 * 365)
        row = create_subject(
            ctx.workspace,
            investigator,
            NewSubject(
                full_name=f"Demo Child {n:03d}",
                hospital_number=f"DEMO{n:06d}",
                birth_date=today - timedelta(days=age_days),
                sex=ctx.rng.choice(("M", "F")),
                guardian=f"Demo Guardian {n:03d}",
            ),
        )
        ctx.subject_keys.append(row.subject_key)


def synthetic_value(
    study: StudyDefinition, item: Item, rng: random.Random, today: date
) -> str | None:
    """A plausible value for `item` from its definition: inside the soft (else hard) range."""
    bounds = item.soft_range or item.hard_range
    low = bounds.low if bounds is not None and bounds.low is not None else 0.0
    high = bounds.high if bounds is not None and bounds.high is not None else low + 100.0
    kind = item.data_type
    if kind == "integer":
        return str(rng.randint(int(low), max(int(low), int(high))))
    if kind == "float":
        return f"{rng.uniform(low, high):.{item.decimals if item.decimals is not None else 1}f}"
    if kind == "date":
        return (today - timedelta(days=rng.randint(0, 30))).isoformat()
    if kind == "datetime":
        return f"{(today - timedelta(days=rng.randint(0, 30))).isoformat()}T09:00:00"
    if kind == "time":
        return f"{rng.randint(7, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    if kind == "boolean":
        return rng.choice(("0", "1"))
    if kind == "choice":
        codelist = study.codelists.get(item.codelist or "")
        return rng.choice(codelist.items).code if codelist is not None and codelist.items else None
    text = "demo"
    return text[: item.length] if item.length else text


def synthetic_form(
    study: StudyDefinition, form: Form, rng: random.Random, today: date
) -> dict[ItemKey, str | None]:
    """Values for the first row of every group; PHI and derived items left empty."""
    values: dict[ItemKey, str | None] = {}
    for group in form.groups:
        for item in group.items:
            if item.derived or item.phi:
                continue
            value = synthetic_value(study, item, rng, today)
            if value is not None:
                values[(group.oid, "1", item.oid)] = value
    return values


def fill_screening(ctx: DemoContext) -> None:
    """The screening event's forms for every subject, entered by the nurse (skipped without a
    study definition or a screening event)."""
    study = ctx.workspace.study
    if study is None:
        return
    event = next((e for e in study.events if e.oid == SCREENING_EVENT), None)
    if event is None:
        return
    today = ctx.workspace.clock.now().date()
    nurse = ctx.users[Role.NURSE]
    for key in ctx.subject_keys:
        for form_oid in event.forms:
            form = study.forms.get(form_oid)
            if form is None:
                continue
            values = synthetic_form(study, form, ctx.rng, today)
            # Drop what the definition's edit checks would refuse (e.g. a text item with a
            # pattern), so a richer definition never breaks the demo.
            refused = {p.key for p in validate_values(ctx.workspace, form_oid, values)}
            values = {k: v for k, v in values.items() if k not in refused}
            if values:
                save_form(ctx.workspace, nurse, key, event.oid, "", form_oid, values)


DEFAULT_STEPS: list[DemoStep] = [add_subjects, fill_screening]


def create_demo_site(
    path: Path,
    n_subjects: int,
    password: str,
    clock: Clock,
    steps: Sequence[DemoStep] | None = None,
    seed: int = 20190220,
) -> SetupResult:
    """A new database at `path` filled by `steps` (default DEFAULT_STEPS); deterministic per seed.

    Every demo user (DEMO_USERNAMES) has `password`, which must meet the password policy.
    """
    result = setup_site(
        path,
        site_code=DEMO_SITE_CODE,
        site_name=DEMO_SITE_NAME,
        admin_username=DEMO_USERNAMES[Role.ADMINISTRATOR],
        admin_full_name="Demo Administrator",
        admin_password=password,
        clock=clock,
    )
    ws = result.workspace
    sessions: dict[Role, UserSession] = {}
    with unit_of_work(ws, None) as session:
        for role, username in DEMO_USERNAMES.items():
            if role is Role.ADMINISTRATOR:
                continue
            user = add_user(
                session,
                username,
                f"Demo {role.value.replace('_', ' ').title()}",
                role,
                password,
                clock.now(),
            )
            sessions[role] = UserSession(user.id, user.username, user.full_name, role)
        admin = user_by_name(session, DEMO_USERNAMES[Role.ADMINISTRATOR])
        if admin is not None:
            sessions[Role.ADMINISTRATOR] = UserSession(
                admin.id, admin.username, admin.full_name, Role.ADMINISTRATOR
            )
    ctx = DemoContext(ws, sessions, n_subjects, random.Random(seed))
    for step in DEFAULT_STEPS if steps is None else steps:
        step(ctx)
    return result

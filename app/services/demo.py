"""A demo site: admin `admin`, one user per role, N synthetic subjects ("Demo Child 001", ...).

Built from steps so later issues extend it: each step is a function of a DemoContext; append to
DEFAULT_STEPS (or pass `steps=`) to add subjects at every treatment stage.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.domain.clock import Clock
from app.services.auth import UserSession
from app.services.permissions import Role
from app.services.site_setup import SetupResult
from app.services.workspace import Workspace

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


@dataclass
class DemoContext:
    workspace: Workspace
    users: Mapping[Role, UserSession]
    n_subjects: int
    rng: random.Random
    subject_keys: list[str]  # filled by the steps that create subjects


DemoStep = Callable[[DemoContext], None]


def create_demo_site(
    path: Path,
    n_subjects: int,
    password: str,
    clock: Clock,
    steps: Sequence[DemoStep] | None = None,
    seed: int = 20190220,
) -> SetupResult:
    """A new database at `path` filled by `steps` (default DEFAULT_STEPS); deterministic per seed."""
    raise NotImplementedError

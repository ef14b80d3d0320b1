"""What a screen is given instead of reaching for a global: the worker, the workspace, the session.

There is no main-window singleton: every page and dialog receives a ShellContext when it is built
(ARCHITECTURE.md section 6). A new login makes a new context, so nothing of an ended session leaks
into the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.clock import Clock
from ui.i18n import LanguageManager
from ui.worker import ServiceRunner

if TYPE_CHECKING:
    from app.services.auth import UserSession
    from app.services.workspace import Workspace


@dataclass
class ShellContext:
    runner: ServiceRunner
    workspace: Workspace
    session: UserSession
    clock: Clock
    language: LanguageManager
    db_path: Path

    @property
    def role(self) -> Any:
        return self.session.role

    def can(self, permission: str) -> bool:
        """Whether the logged-in user's role holds `permission` (a Permission value, "view_phi")."""
        from app.services.permissions import can

        return bool(can(self.session.role, permission))

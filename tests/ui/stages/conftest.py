"""Stage-screen fixtures: the ward fixtures (tests/ui/ward/conftest.py) shared, not copied."""

from __future__ import annotations

from tests.ui.ward.conftest import _no_real_modals, new_subject, users, ward_ws

__all__ = ["_no_real_modals", "new_subject", "users", "ward_ws"]

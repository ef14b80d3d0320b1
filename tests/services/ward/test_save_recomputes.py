"""Every save through forms.save_form recomputes the subject's derived items (no page has to
remember to), once per save, and a recompute with nothing changed since is not repeated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from app.domain.clock import FixedClock
from app.services import derived
from app.services.audit_trail import audit_rows
from app.services.auth import UserSession
from app.services.forms import load_form, save_form
from app.services.permissions import Role
from app.services.workspace import Workspace

VS = ("SE.SCREEN", "", "F.VS")
BMI = ("IG.VS", "1", "IT.VS.BMI")
BMI_PATH = "/SE.SCREEN/F.VS/IG.VS[1]/IT.VS.BMI"
WEIGHT_HEIGHT = {("IG.VS", "1", "IT.VS.WEIGHT"): "25", ("IG.VS", "1", "IT.VS.HEIGHT"): "125"}


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts full recomputes (each runs every derivation of the subject once)."""
    calls: list[str] = []
    real: Callable[..., Any] = derived.desired_values

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append("desired_values")
        return real(*args, **kwargs)

    monkeypatch.setattr(derived, "desired_values", counting)
    return calls


def test_save_form_updates_bmi_and_audits_the_recompute(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    nurse = users[Role.NURSE]
    result = save_form(ward_ws, nurse, new_subject, *VS, WEIGHT_HEIGHT)
    assert [(c.new, c.derived_by.split("@")[0]) for c in result.derived] == [("16.0", "growth.bmi")]
    assert load_form(ward_ws, nurse, new_subject, *VS).values[BMI] == "16.0"

    result = save_form(ward_ws, nurse, new_subject, *VS, {("IG.VS", "1", "IT.VS.WEIGHT"): "30"},
                       reason="scale recalibrated")  # fmt: skip
    assert [(c.old, c.new) for c in result.derived] == [("16.0", "19.2")]
    assert load_form(ward_ws, nurse, new_subject, *VS).values[BMI] == "19.2"
    rows = audit_rows(ward_ws, users[Role.MONITOR], new_subject + BMI_PATH)
    trail = [(r.username, r.action, r.old_value, r.new_value, r.reason) for r in reversed(rows)]
    assert trail[0][:4] == (None, "insert", None, "16.0 kg/m2")
    who, action, old, new, why = trail[1]
    assert (who, action, old, new) == (None, "update", "16.0 kg/m2", "19.2 kg/m2")
    assert why is not None and why.startswith("recomputed by growth.bmi@")


def test_save_and_recompute_recomputes_once(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str, derivations: list[str]
) -> None:
    nurse = users[Role.NURSE]
    changes = derived.save_and_recompute(ward_ws, nurse, new_subject, *VS, WEIGHT_HEIGHT)
    assert [c.new for c in changes] == ["16.0"] and len(derivations) == 1
    # Nothing changed: save_form does not recompute, save_and_recompute does, once.
    assert derived.save_and_recompute(ward_ws, nurse, new_subject, *VS, WEIGHT_HEIGHT) == []
    assert len(derivations) == 2


def test_a_recompute_with_nothing_changed_since_is_not_repeated(
    ward_ws: Workspace,
    users: dict[Role, UserSession],
    new_subject: str,
    derivations: list[str],
    clock: FixedClock,
) -> None:
    nurse = users[Role.NURSE]
    save_form(ward_ws, nurse, new_subject, *VS, WEIGHT_HEIGHT)  # recomputes, writes the BMI
    assert derived.recompute(ward_ws, new_subject) == []  # a stage service's call: checks again
    assert derived.recompute(ward_ws, new_subject) == []  # settled: not recomputed
    assert len(derivations) == 2
    clock.advance(timedelta(days=1))  # a new ward day may move a day-dependent status
    derived.recompute(ward_ws, new_subject)
    assert len(derivations) == 3
    save_form(ward_ws, nurse, new_subject, *VS, {("IG.VS", "1", "IT.VS.HEIGHT"): "120"},
              reason="remeasured")  # fmt: skip
    assert load_form(ward_ws, nurse, new_subject, *VS).values[BMI] == "17.4"
    assert len(derivations) == 4


def test_a_batch_of_saves_can_defer_the_recompute(
    ward_ws: Workspace, users: dict[Role, UserSession], new_subject: str
) -> None:
    nurse = users[Role.NURSE]
    result = save_form(ward_ws, nurse, new_subject, *VS, WEIGHT_HEIGHT, recompute=False)
    assert result.changed_items == 2 and result.derived == ()
    assert BMI not in load_form(ward_ws, nurse, new_subject, *VS).values
    assert [c.new for c in derived.recompute(ward_ws, new_subject)] == ["16.0"]

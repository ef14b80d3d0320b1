"""The engraftment page's one-read data equals what each panel's own service returns."""

from __future__ import annotations

import pytest

from app.services import stage_engraftment as se
from app.services.auth import UserSession
from app.services.permissions import Role
from app.services.workspace import Workspace


@pytest.mark.parametrize("scenario", ["agvhd_grade3", "infection_open", "screening"])
def test_one_read_gives_every_panel(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str], scenario: str
) -> None:
    nurse = users[Role.NURSE]
    key = next(k for k, v in demo.items() if v == scenario)
    page = se.engraftment_page_data(ward_ws, nurse, key)

    assert page.summary == se.engraftment_summary(ward_ws, nurse, key)
    assert page.levels == se.drug_levels(ward_ws, nurse, key)
    assert page.agvhd == se.agvhd_assessments(ward_ws, nurse, key)
    assert page.infections == se.infections(ward_ws, nurse, key)
    assert page.chimerism == se.chimerism_results(ward_ws, nurse, key)
    if scenario == "screening":  # no Day 0 yet: no count grid
        assert page.counts == []
    else:
        assert page.counts == se.daily_counts(ward_ws, nurse, key) != []
    assert (scenario == "agvhd_grade3") == any(r.grade == 3 for r in page.agvhd)
    assert (scenario == "infection_open") == any(r.open for r in page.infections)

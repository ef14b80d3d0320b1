"""The subject page's one-read data equals the overview and the stepper read on their own."""

from __future__ import annotations

from app.services.auth import UserSession
from app.services.forms import save_form
from app.services.permissions import Role
from app.services.stage_facts import stage_view
from app.services.subject_view import subject_page_data
from app.services.subjects import subject_overview
from app.services.workspace import Workspace


def test_one_read_gives_the_overview_and_the_stepper_of_every_scenario(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    nurse, manager = users[Role.NURSE], users[Role.DATA_MANAGER]  # with and without VIEW_PHI
    for key in demo:
        for user in (nurse, manager):
            page = subject_page_data(ward_ws, user, key)
            assert page.overview == subject_overview(ward_ws, user, key), key
            assert page.stage == stage_view(ward_ws, user, key), key
        assert page.overview.name is None  # the data manager's: no PHI
    stages = {subject_page_data(ward_ws, nurse, k).stage.stage for k in demo}
    assert {"screening", "conditioning", "engraftment", "follow_up"} <= stages


def test_an_invalidated_signature_counts_as_in_the_separate_calls(
    ward_ws: Workspace, users: dict[Role, UserSession], demo: dict[str, str]
) -> None:
    nurse = users[Role.NURSE]
    key = next(k for k, v in demo.items() if v == "enrolled")  # eligibility signed
    before = subject_page_data(ward_ws, nurse, key)
    assert any(f.signed for e in before.overview.events for f in e.forms)

    save_form(ward_ws, users[Role.PHYSICIAN], key, "SE.SCREEN", "", "F.ELIG",
              {("IG.ELIG.INCL", "1", "IT.IE.OD_OTHER"): "Y"}, reason="source corrected")  # fmt: skip

    after = subject_page_data(ward_ws, nurse, key)
    assert after.overview == subject_overview(ward_ws, nurse, key)
    assert after.stage == stage_view(ward_ws, nurse, key)
    elig = next(f for e in after.overview.events for f in e.forms if f.form_oid == "F.ELIG")
    assert elig.signature_invalidated and not elig.signed

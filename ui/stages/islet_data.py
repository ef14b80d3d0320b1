"""What the islet screen shows, fetched in one worker job from the services.

The checklist and the product view come from app.services.stage_islet; the stored values of the
decision, product and infusion forms from forms.load_form (for the editors); the follow-up anchor
from app.domain.schedule.follow_up_anchor over the first islet infusion and the treatment-complete
date (DOMAIN.md Appendix C: completion of treatment). Runs on the worker thread only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

ELIG = ("SE.ISLELIG", "", "F.ISLELIG")
TRTCOMP = ("SE.TRTCOMP", "", "F.TRTCOMP")
INF_EVENT = "SE.ISLINF"
ItemKey = tuple[str, str, str]


@dataclass(frozen=True)
class Anchor:
    code: str  # "schedule.anchor.islet_infusion" | ".treatment_complete"
    when: date
    month3_target: date | None


@dataclass(frozen=True)
class IsletScreenData:
    checklist: Any  # stage_islet.IsletChecklist
    decision_values: Mapping[ItemKey, str | None]
    infusion_number: int
    product_values: Mapping[ItemKey, str | None]
    infusion_values: Mapping[ItemKey, str | None]
    product: Any  # stage_islet.IsletProductView
    anchor: Anchor | None
    ward_today: date


def follow_up_anchor(ws: Any, session: Any, subject_key: str) -> Anchor | None:
    """Completion of treatment: the first islet infusion's date, else the signed no-islet date."""
    from app.domain import schedule
    from app.services.forms import load_form
    from app.services.stage_common import as_date, rule_params

    infusion = load_form(ws, session, subject_key, INF_EVENT, "1", "F.ISLINF").values
    complete = load_form(ws, session, subject_key, *TRTCOMP).values
    params = rule_params(ws, schedule.ScheduleParams, "schedule")
    result = schedule.follow_up_anchor(
        as_date(infusion.get(("IG.ISLINF", "1", "IT.IS.INF_START"))),
        as_date(complete.get(("IG.TRTCOMP", "1", "IT.TC.DTC"))),
        params,
    )
    if result.anchor is None:
        return None
    plan = schedule.follow_up_plan(result.anchor, params)
    return Anchor(result.code, result.anchor, plan[0].target if plan else None)


def fetch(ws: Any, session: Any, subject_key: str, infusion_number: int) -> IsletScreenData:
    from app.domain.schedule import ward_today
    from app.services.forms import load_form
    from app.services.stage_islet import islet_eligibility, islet_product

    key, number = subject_key, str(infusion_number)
    return IsletScreenData(
        checklist=islet_eligibility(ws, session, key),
        decision_values=load_form(ws, session, key, *ELIG).values,
        infusion_number=infusion_number,
        product_values=load_form(ws, session, key, INF_EVENT, number, "F.ISLPROD").values,
        infusion_values=load_form(ws, session, key, INF_EVENT, number, "F.ISLINF").values,
        product=islet_product(ws, session, key, infusion_number),
        anchor=follow_up_anchor(ws, session, key),
        ward_today=ward_today(ws.clock),
    )

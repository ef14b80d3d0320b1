"""Donor chimerism category: full, mixed or rejection, from the donor percentage of one lineage.

Sources: Kharfan-Dabaja et al., Transplant Cell Ther 2021;27:642-9 (full donor >95% [V]); mixed
5-95% [P] and rejection <5% [U] as in DOMAIN.md 4.1 and Appendix C. Cut-offs come from
resources/study/rules/engraftment.yaml (module "engraftment"); non-malignant paediatric studies
sometimes use other cut-offs (Park et al., Korean J Hematol 2011), hence configuration.
Boundaries: exactly 95% is mixed, exactly 5% is mixed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.result import RuleRef

SOURCE = "Kharfan-Dabaja et al., Transplant Cell Ther 2021;27:642-9; DOMAIN.md 4.1"


@dataclass(frozen=True)
class ChimerismParams:
    version: str
    chimerism_full_above_pct: float
    chimerism_rejection_below_pct: float


@dataclass(frozen=True)
class ChimerismCategory:
    code: str  # "chimerism.full" | "chimerism.mixed" | "chimerism.rejection"
    category: str
    donor_pct: float
    lineage: str | None
    rule: RuleRef


def chimerism_category(
    donor_pct: float, params: ChimerismParams, lineage: str | None = None
) -> ChimerismCategory:
    """Full (> full cut-off), rejection (< rejection cut-off) or mixed (between, inclusive)."""
    if not 0 <= donor_pct <= 100:
        raise ValueError("donor chimerism must be a percentage from 0 to 100")
    if donor_pct > params.chimerism_full_above_pct:
        category = "full"
    elif donor_pct < params.chimerism_rejection_below_pct:
        category = "rejection"
    else:
        category = "mixed"
    rule = RuleRef("chimerism.category", SOURCE, params.version)
    return ChimerismCategory(f"chimerism.{category}", category, donor_pct, lineage, rule)

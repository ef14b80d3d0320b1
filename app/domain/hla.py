"""HLA match count between a recipient and a cord blood unit: 6-locus (x/6) and 8-allele (x/8).

Sources: DOMAIN.md 1.1 and Appendix C. Politikos et al., BBMT 2020;26(12):2190-6 (6-locus: A, B at
antigen level, DRB1 at allele level) [P]; ASH-SAP UCB selection table (8-allele: A, B, C, DRB1 at
allele level; avoid >2 mismatches and HLA-C mismatches) [V]. Loci, levels and warning limits come
from resources/study/rules/cordblood.yaml.

Counting (DOMAIN.md 1.1): per locus both pairings of the recipient's two typings with the unit's two
are compared and the better one counts. Directional mismatches are counted too, so homozygous loci
are handled: graft-versus-host (GvH) = recipient typings absent from the unit (a homozygous recipient
is matched when the unit carries its allele); host-versus-graft (HvG, rejection) = unit typings
absent from the recipient. The bidirectional mismatch count equals max(GvH, HvG).

Antigen level is approximated by the first field of the allele name (A*02:01 -> 2) [P]: serological
splits and broad antigens are not mapped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.domain.result import RuleRef

SOURCE_6 = "Politikos et al., BBMT 2020;26(12):2190-6; DOMAIN.md 1.1"
SOURCE_8 = "ASH-SAP UCB selection table (Eurocord), ash-sap.org/view-large/8401273; DOMAIN.md 1.1"

Typing = Sequence[str | None]  # one or two typings per locus; one (or a blank second) = homozygous
HlaTyping = Mapping[str, Typing]  # locus ("A", "B", "C", "DRB1") -> typings


@dataclass(frozen=True)
class HlaParams:
    version: str
    hla_six_locus_levels: Mapping[str, str]
    hla_eight_allele_levels: Mapping[str, str]
    hla_max_mismatches: int
    hla_warn_c_mismatch: bool
    hla_six_locus_min_acceptable: int


@dataclass(frozen=True)
class LocusMatch:
    locus: str
    level: str  # "antigen" | "allele"
    resolved: bool  # False when a typing is missing or too low-resolution for `level`
    matches: int  # 0..2, best pairing
    gvh_mismatches: int  # recipient typings the unit lacks
    hvg_mismatches: int  # unit typings the recipient lacks


@dataclass(frozen=True)
class HlaMatch:
    code: str  # "hla.match_6" | "hla.match_8"
    score: int  # matched typings, x of max_score
    max_score: int
    mismatches: int  # bidirectional, over resolved loci
    gvh_mismatches: int
    hvg_mismatches: int
    unresolved_loci: tuple[str, ...]
    loci: tuple[LocusMatch, ...]
    warnings: tuple[str, ...]  # "hla.warn.too_many_mismatches", "hla.warn.c_mismatch", ...
    rule: RuleRef

    @property
    def label(self) -> str:
        return f"{self.score}/{self.max_score}"


def typing_key(typing: str, locus: str, level: str) -> str | None:
    """The comparable part of one typing at `level`, or None if it is blank or too low-resolution.

    "HLA-A*02:01:01" -> antigen "2", allele "02:01"; "A2" or "02" -> antigen "2", allele None.
    """
    text = typing.strip().upper().removeprefix("HLA-")
    text = text.removeprefix(locus.upper()).removeprefix("*")
    fields = text.split(":")
    if not fields[0].isdigit():
        return None
    if level == "antigen":
        return str(int(fields[0]))
    if len(fields) < 2 or not fields[1].isdigit():
        return None
    return f"{fields[0]}:{fields[1]}"


def _pair(typings: Typing, locus: str, level: str) -> tuple[str, str] | None:
    given = [t for t in typings if t is not None and t.strip()]
    if not 1 <= len(given) <= 2:
        return None
    keys = [typing_key(t, locus, level) for t in given]
    first, second = keys[0], keys[-1]  # a single typing stands for a homozygous locus
    if first is None or second is None:
        return None
    return first, second


def match_locus(recipient: Typing, unit: Typing, locus: str, level: str) -> LocusMatch:
    """One locus: best-pairing match count and both directional mismatch counts."""
    r, u = _pair(recipient, locus, level), _pair(unit, locus, level)
    if r is None or u is None:
        return LocusMatch(locus, level, False, 0, 0, 0)
    straight = (r[0] == u[0]) + (r[1] == u[1])
    crossed = (r[0] == u[1]) + (r[1] == u[0])
    gvh = sum(t not in u for t in r)
    hvg = sum(t not in r for t in u)
    return LocusMatch(locus, level, True, max(straight, crossed), gvh, hvg)


def _match(
    recipient: HlaTyping,
    unit: HlaTyping,
    levels: Mapping[str, str],
    code: str,
    rule: RuleRef,
    params: HlaParams,
) -> HlaMatch:
    loci = tuple(
        match_locus(recipient.get(locus, ()), unit.get(locus, ()), locus, level)
        for locus, level in levels.items()
    )
    resolved = [m for m in loci if m.resolved]
    mismatches = sum(2 - m.matches for m in resolved)
    warnings: list[str] = []
    if mismatches > params.hla_max_mismatches:
        warnings.append("hla.warn.too_many_mismatches")
    if params.hla_warn_c_mismatch and any(m.locus == "C" and m.matches < 2 for m in resolved):
        warnings.append("hla.warn.c_mismatch")
    unresolved = tuple(m.locus for m in loci if not m.resolved)
    if unresolved:
        warnings.append("hla.warn.unresolved_locus")
    return HlaMatch(
        code=code,
        score=sum(m.matches for m in loci),
        max_score=2 * len(loci),
        mismatches=mismatches,
        gvh_mismatches=sum(m.gvh_mismatches for m in loci),
        hvg_mismatches=sum(m.hvg_mismatches for m in loci),
        unresolved_loci=unresolved,
        loci=loci,
        warnings=tuple(warnings),
        rule=rule,
    )


def match_six_locus(recipient: HlaTyping, unit: HlaTyping, params: HlaParams) -> HlaMatch:
    """x/6: A and B at antigen level, DRB1 at allele level; warns below the acceptable score."""
    rule = RuleRef("hla.match_6", SOURCE_6, params.version)
    result = _match(recipient, unit, params.hla_six_locus_levels, "hla.match_6", rule, params)
    if result.score < params.hla_six_locus_min_acceptable:
        extra = (*result.warnings, "hla.warn.six_locus_low")
        return replace(result, warnings=extra)
    return result


def match_eight_allele(recipient: HlaTyping, unit: HlaTyping, params: HlaParams) -> HlaMatch:
    """x/8: A, B, C and DRB1 at allele level; warns at >2 mismatches or any HLA-C mismatch."""
    rule = RuleRef("hla.match_8", SOURCE_8, params.version)
    return _match(recipient, unit, params.hla_eight_allele_levels, "hla.match_8", rule, params)

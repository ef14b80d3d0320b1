"""What every rule returns: a code for translation, the values that decided it, and its provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RuleRef:
    """Which rule, from which source, under which version of the study definition produced a result."""

    rule: str  # e.g. "engraftment.neutrophil_recovery"
    source: str  # e.g. "Kharfan-Dabaja et al., Transplant Cell Ther 2021;27:642-9"
    version: str  # study definition / rule-set version, e.g. "SEQTX.MDV.1"

    def label(self) -> str:
        return f"{self.rule}@{self.version}"


@dataclass(frozen=True)
class Finding:
    """One outcome of a rule. `code` is stable and translated by the UI (e.g. "engraftment.pgf")."""

    code: str
    rule: RuleRef
    values: Mapping[str, Any] = field(default_factory=dict)
    severity: str = "info"  # "info" | "warning" | "alert" | "error"

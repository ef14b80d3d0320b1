"""Domain-test fixtures: the real rule parameters of the shipped study definition."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.study.rules import RuleBook, load_rulebook

RULES_DIR = Path(__file__).resolve().parents[2] / "resources" / "study" / "rules"


@pytest.fixture(scope="session")
def rulebook() -> RuleBook:
    """Every resources/study/rules/*.yaml file, as shipped, under MetaDataVersion MDV.SEQTX.1."""
    return load_rulebook(RULES_DIR, "MDV.SEQTX.1")

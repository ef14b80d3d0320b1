"""The fast YAML reader gives exactly what yaml.safe_load gives, and refuses what would be a mistake."""

from __future__ import annotations

import pytest
import yaml

from app.paths import resource
from app.study.yamlread import YamlReadError, load_yaml


@pytest.mark.parametrize(
    "path",
    sorted(resource("study").rglob("*.yaml")),
    ids=lambda p: p.relative_to(resource("study")).as_posix(),
)
def test_same_values_as_safe_load_for_every_shipped_file(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert load_yaml(text) == yaml.safe_load(text)


SCALARS = """\
ints: [0, 7, -3, +4, 1_000]
floats: [1.5, -0.25, .5, 1.0e+10, 2.5E-3]
strings: [1e5, 10*9/L, 751-8, "12", '0.5', "yes", 1.2.3, -x]
bools: [true, False, yes, No, on, OFF]
nulls: [null, ~, ]
empty:
block: |
  two
  lines
"""


def test_scalars_resolve_like_safe_load() -> None:
    assert load_yaml(SCALARS) == yaml.safe_load(SCALARS)
    assert load_yaml(SCALARS)["strings"][0] == "1e5"  # YAML 1.1: no dot, not a float


def test_anchors_and_aliases_are_shared() -> None:
    doc = load_yaml("a: &forms [F.X, F.Y]\nb: *forms\nc: &n 3\nd: *n\n")
    assert doc == {"a": ["F.X", "F.Y"], "b": ["F.X", "F.Y"], "c": 3, "d": 3}


def test_empty_document_is_none() -> None:
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "key 'a' appears twice", 3),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys", 3),
        ("a: !!python/object:os.system x\n", "explicit tag", 1),
        ("a: !!str 5\n", "explicit tag", 1),
        ("a: [1, 2\nb: 3\n", "", 2),
        ("a: *nowhere\n", "", 1),
        ("? [1, 2]\n: x\n", "mapping key must be a plain value", 2),
    ],
)
def test_refused_yaml_names_the_line(text: str, problem: str, line: int) -> None:
    with pytest.raises(YamlReadError) as info:
        load_yaml(text)
    assert problem in info.value.problem
    assert info.value.line is not None and abs(info.value.line - line) <= 1


def test_rare_yaml_11_forms_stay_text() -> None:
    """Dates, octal and sexagesimal numbers are text here (safe_load would convert them)."""
    assert load_yaml("d: 2019-02-20\no: 010\ns: 1:20\n") == {
        "d": "2019-02-20",
        "o": "010",
        "s": "1:20",
    }

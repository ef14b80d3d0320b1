"""Every user-visible string of ui/ has a Simplified Chinese translation in a shipped catalogue.

The strings are found in the source the way lupdate would: `self.tr("...")` (context: the enclosing
class), `QCoreApplication.translate("Context", "...")`, and module helpers `_t("...")` / `_tr("...")`
whose body calls `translate("Context", text)`. Each (context, text) must be in one of the
resources/translations/seqtx*_zh_CN.ts catalogues with a non-empty translation, so a screen cannot
ship half in English.
"""

from __future__ import annotations

import ast
from pathlib import Path
from xml.etree import ElementTree

from app.paths import resource

UI = Path(__file__).resolve().parents[2] / "ui"
HELPERS = ("_t", "_tr")


def _const(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _helper_context(tree: ast.Module) -> dict[str, str]:
    """Module-level `_t`/`_tr` functions and the translation context their body uses."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in HELPERS:
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "translate"
                    and call.args
                    and (context := _const(call.args[0])) is not None
                ):
                    found[node.name] = context
    return found


class _Strings(ast.NodeVisitor):
    def __init__(self, helpers: dict[str, str]) -> None:
        self.helpers = helpers
        self.classes: list[str] = []
        self.found: set[tuple[str, str]] = set()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        texts = [_const(a) for a in node.args]
        if isinstance(func, ast.Attribute) and func.attr == "tr" and self.classes and texts:
            if texts[0] is not None:
                self.found.add((self.classes[-1], texts[0]))
        elif isinstance(func, ast.Attribute) and func.attr == "translate" and len(texts) >= 2:
            if texts[0] is not None and texts[1] is not None:
                self.found.add((texts[0], texts[1]))
        elif (
            isinstance(func, ast.Name)
            and func.id in self.helpers
            and texts
            and texts[0] is not None
        ):
            self.found.add((self.helpers[func.id], texts[0]))
        self.generic_visit(node)


def source_strings() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        visitor = _Strings(_helper_context(tree))
        visitor.visit(tree)
        found |= visitor.found
    return found


def translated() -> set[tuple[str, str]]:
    done: set[tuple[str, str]] = set()
    for ts in sorted(resource("translations").glob("seqtx*_zh_CN.ts")):
        root = ElementTree.parse(ts).getroot()  # noqa: S314  (our own files)
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                kind = message.find("translation")
                # A plural message (%n) keeps its forms in <numerusform> children.
                text = "" if kind is None else "".join(kind.itertext())
                if text.strip() and kind is not None and kind.get("type") != "obsolete":
                    done.add((name, message.findtext("source") or ""))
    return done


def test_the_scanner_finds_the_strings_of_the_main_window() -> None:
    strings = source_strings()
    assert ("MainWindow", "Today on the ward") in strings
    assert ("WorklistPage", "Today on the ward") in strings  # via _t()


def test_every_ui_string_has_a_chinese_translation() -> None:
    missing = sorted(source_strings() - translated())
    assert missing == [], "untranslated (context, text): " + "; ".join(
        f"{c}: {t!r}" for c, t in missing
    )

"""app/domain imports nothing but the standard library and itself (ARCHITECTURE.md section 1)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "app" / "domain"


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module)
    return roots


def test_domain_modules_import_only_stdlib_and_app_domain() -> None:
    offenders: dict[str, list[str]] = {}
    for path in sorted(DOMAIN.glob("*.py")):
        bad = [
            name
            for name in sorted(_imported_roots(path))
            if not name.startswith("app.domain")
            and name.split(".")[0] not in sys.stdlib_module_names
        ]
        if bad:
            offenders[path.name] = bad
    assert offenders == {}, f"app/domain must stay pure; non-stdlib imports: {offenders}"


def test_the_check_sees_every_domain_module() -> None:
    # Guards the test above against silently scanning an empty or moved folder.
    assert len(list(DOMAIN.glob("*.py"))) >= 10

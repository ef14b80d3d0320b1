"""The `seqtx` command line answers --version and --help without a display or a database."""

from __future__ import annotations

import subprocess
import sys

from app import __version__


def test_version_is_printed() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"SeqTx {__version__}"


def test_opening_the_app_does_not_load_the_command_line_tools() -> None:
    # A bare `seqtx --db PATH` goes straight to the window: importing every command module
    # (SQLAlchemy, Alembic, ReportLab, sync) before it took most of the 2 s cold-start budget.
    probe = (
        "import sys\n"
        "from app import cli\n"
        "seen = []\n"
        "assert cli.main(['--db', 'site.db'], gui=lambda a: seen.append(a.db) or 0) == 0\n"
        "assert seen == ['site.db'], seen\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'reportlab', 'alembic') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_help_lists_the_command_line_tools() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    for command in ("init", "demo", "audit", "backup", "restore", "crf", "sync"):
        assert f"    {command} " in out.stdout, command

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

"""The PyInstaller one-folder build starts: --version, and a headless command that opens a database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    subprocess.run(
        [
            str(pyinstaller),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--workpath",
            str(work / "build"),
            "--distpath",
            str(work / "dist"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    exe = work / "dist" / "seqtx" / "seqtx"
    assert exe.exists(), "PyInstaller produced no seqtx executable"
    return exe


@pytest.mark.slow
def test_frozen_app_reports_its_version(frozen_app: Path) -> None:
    out = subprocess.run(
        [str(frozen_app), "--version"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("SeqTx ")


@pytest.mark.slow
def test_frozen_app_opens_a_database_headless(frozen_app: Path, tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.launcher",
            "init",
            "--db",
            str(db),
            "--site-code",
            "FD",
            "--site-name",
            "Fudan Children's",
            "--admin",
            "admin",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert init.returncode == 0, init.stderr
    code = next(line for line in init.stdout.splitlines() if line.count("-") >= 4).strip()
    check = subprocess.run(
        [
            str(frozen_app),
            "check",
            "--db",
            str(db),
            "--user",
            "admin",
            "--recovery-code-stdin",
            "--password-stdin",
        ],
        input=f"{code}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    assert "SQLCipher" in check.stdout

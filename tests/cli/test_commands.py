"""`seqtx` command-line tools as real subprocesses (issue 2, point 7).

No OS keyring in these runs (the "fail" backend): every command opens with the recovery code,
as on a headless machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from db import keys

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def seqtx(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def recovery_code(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.count("-") >= 4).strip()


def init(db: Path) -> str:
    out = seqtx(
        "init", "--db", str(db), "--site-code", "FD", "--site-name", "Fudan Children's",
        "--admin", "admin", "--admin-name", "Ada Admin", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return recovery_code(out.stdout)


def as_admin(
    db: Path, code: str, *args: str, extra_stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return seqtx(
        *args, "--db", str(db), "--user", "admin", "--recovery-code-stdin", "--password-stdin",
        stdin=f"{code}\n{PASSWORD}\n{extra_stdin}",
    )  # fmt: skip


def assert_clean_error(out: subprocess.CompletedProcess[str], text: str) -> None:
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("seqtx: error: ") and text in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_help_lists_the_tools() -> None:
    out = seqtx("--help")
    assert out.returncode == 0
    for command in ("init", "check", "demo", "users", "audit", "backup", "restore"):
        assert f"    {command} " in out.stdout


def test_init_prints_the_recovery_code_and_check_opens_with_it(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    code = init(db)
    assert len(code.split("-")) == 6
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    out = as_admin(db, code, "check")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("SQLCipher 4.")
    assert "subjects: 0" in out.stdout


def test_bad_input_gives_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    weak = seqtx(
        "init", "--db", str(db), "--site-code", "FD", "--site-name", "X", "--admin", "admin",
        "--password-stdin", stdin="password\n",
    )  # fmt: skip
    assert_clean_error(weak, "password")
    assert not db.exists()
    code = init(db)
    before = db.read_bytes()
    assert_clean_error(
        seqtx("init", "--db", str(db), "--site-code", "FD", "--site-name", "X", "--admin", "a2",
              "--password-stdin", stdin=PASSWORD + "\n"),
        "already exists",
    )  # fmt: skip
    wrong_code = "-".join(["ABCDE"] * 6)
    assert_clean_error(as_admin(db, wrong_code, "check"), "recovery code")
    assert_clean_error(
        seqtx("check", "--db", str(db), "--user", "admin", "--recovery-code-stdin",
              "--password-stdin", stdin=f"{code}\nnot the password at all\n"),
        "username or password",
    )  # fmt: skip
    assert_clean_error(seqtx("audit", "verify", "--db", str(db)), "recovery-code-stdin")
    assert db.read_bytes()[:4096] == before[:4096]


def test_demo_creates_users_and_subjects_and_a_sound_audit_trail(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    out = seqtx(
        "demo", "--db", str(db), "--subjects", "3", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert out.returncode == 0, out.stderr
    code = recovery_code(out.stdout)
    check = as_admin(db, code, "check")
    assert "subjects: 3" in check.stdout and "users: 6" in check.stdout
    users = as_admin(db, code, "users", "list")
    assert users.returncode == 0, users.stderr
    names = [line.split("\t")[0] for line in users.stdout.splitlines()]
    assert names == ["admin", "datamanager", "investigator", "monitor", "nurse", "physician"]
    verify = seqtx("audit", "verify", "--db", str(db), "--recovery-code-stdin", stdin=code + "\n")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("ok, ")


def test_audit_verify_reports_the_first_broken_link(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    code = init(db)
    key = keys.read_key_file(keys.key_file_path(db), code)
    conn = sqlcipher3.connect(str(db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("DROP TRIGGER audit_records_no_update")
    conn.execute("UPDATE audit_records SET reason = 'edited outside' WHERE id = 2")
    conn.close()
    out = seqtx("audit", "verify", "--db", str(db), "--recovery-code-stdin", stdin=code + "\n")
    assert out.returncode == 1
    assert out.stdout.startswith("broken at row 2")


def test_backup_and_restore(tmp_path: Path) -> None:
    db = tmp_path / "site" / "site.db"
    code = init(db)
    backup = tmp_path / "usb" / "site-backup.db"
    out = as_admin(db, code, "backup", "--out", str(backup))
    assert out.returncode == 0, out.stderr
    assert backup.exists() and keys.key_file_path(backup).exists()
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    added = as_admin(
        db, code, "users", "add", "li.na", "--full-name", "Li Na", "--role", "nurse",
        extra_stdin="nurse passphrase for li na\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "users: 2" in as_admin(db, code, "check").stdout
    restored = seqtx(
        "restore", "--backup", str(backup), "--db", str(db), "--recovery-code-stdin",
        stdin=code + "\n",
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert "users: 1" in as_admin(db, code, "check").stdout
    # The restored copy opens on a "new workstation" too: backup + its key file elsewhere.
    elsewhere = tmp_path / "new" / "site.db"
    fresh = seqtx(
        "restore", "--backup", str(backup), "--db", str(elsewhere), "--recovery-code-stdin",
        stdin=code + "\n",
    )  # fmt: skip
    assert fresh.returncode == 0, fresh.stderr
    assert "users: 1" in as_admin(elsewhere, code, "check").stdout


@pytest.mark.parametrize("args", [["backup", "--out", "x.db"], ["users", "list"]])
def test_data_commands_require_a_user(tmp_path: Path, args: list[str]) -> None:
    out = seqtx(*args, "--db", str(tmp_path / "site.db"))
    assert out.returncode == 2 and "--user" in out.stderr


def test_a_missing_database_is_named_before_any_secret_is_read(tmp_path: Path) -> None:
    out = seqtx("check", "--db", str(tmp_path / "none.db"), "--recovery-code-stdin")
    assert_clean_error(out, "no database at")

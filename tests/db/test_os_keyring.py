"""The key in a real OS keyring: gnome-keyring's Secret Service on a private D-Bus session.

CI installs gnome-keyring and dbus (Debian packages); there the test fails when they are missing,
elsewhere it is skipped. The keyring is unlocked with a throwaway password: an empty one does not
create the "login" collection, and the Secret Service backend would then try to prompt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.keyring

SCRIPT = """
import keyring
from db.keys import check_keyring_backend, delete_key, generate_key, load_key, store_key

backend = keyring.get_keyring()
check_keyring_backend()
key = generate_key()
store_key("test-db", key)
assert load_key("test-db") == key, "stored key not read back"
delete_key("test-db")
assert load_key("test-db") is None, "key still there after delete"
print("backend", type(backend).__module__, type(backend).__name__)
"""


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian packages: gnome-keyring dbus)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return path


def test_the_key_round_trips_through_the_secret_service(tmp_path: Path) -> None:
    dbus = _require("dbus-run-session")
    _require("gnome-keyring-daemon")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    shell = (
        'printf %s "throwaway-test-password" | '
        "gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        f'exec "{sys.executable}" -c "$SEQTX_KEYRING_SCRIPT"'
    )
    env["SEQTX_KEYRING_SCRIPT"] = SCRIPT
    result = subprocess.run(
        [dbus, "--", "sh", "-c", shell],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "backend keyring.backends.SecretService Keyring" in result.stdout
    assert (home / ".local" / "share" / "keyrings" / "login.keyring").exists()

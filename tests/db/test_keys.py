"""Database keys: the keyring allow-list, the recovery code, the wrapped key file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail, null

from db.keys import (
    KdfParams,
    KeyFileError,
    KeyringUnavailable,
    WrongRecoveryCodeError,
    check_keyring_backend,
    delete_key,
    generate_key,
    key_file_db_id,
    key_file_path,
    load_key,
    new_recovery_code,
    normalise_recovery_code,
    read_key_file,
    store_key,
    write_key_file,
)
from tests.db.memory_keyring import MemoryKeyring

FAST = KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)


def test_keys_are_32_random_bytes() -> None:
    keys = {generate_key() for _ in range(20)}
    assert len(keys) == 20
    assert {len(k) for k in keys} == {32}


def test_store_load_delete_in_an_allowed_keyring(memory_keyring: MemoryKeyring) -> None:
    key = generate_key()
    store_key("db-1", key)
    assert load_key("db-1") == key
    assert load_key("db-2") is None
    delete_key("db-1")
    assert load_key("db-1") is None
    delete_key("db-1")  # deleting what is not there is not an error
    assert all(key.hex() not in repr(k) for k in memory_keyring.entries)


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_fail_and_null_backends_are_refused_with_what_to_do(backend: object) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    try:
        with pytest.raises(KeyringUnavailable) as caught:
            store_key("db-1", generate_key())
        message = str(caught.value)
        assert "recovery code" in message
        assert "keyring" in message
        with pytest.raises(KeyringUnavailable):
            load_key("db-1")
    finally:
        keyring.set_keyring(previous)


def test_an_unknown_backend_such_as_a_plaintext_file_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        """Stands in for keyrings.alt.file.PlaintextKeyring (not installed, never a dependency)."""

    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        with pytest.raises(KeyringUnavailable, match="PlaintextKeyring"):
            check_keyring_backend()
    finally:
        keyring.set_keyring(previous)


def test_a_chain_is_allowed_only_when_every_member_is(memory_keyring: MemoryKeyring) -> None:
    previous = keyring.get_keyring()
    try:

        class GoodChain(chainer.ChainerBackend):
            backends = (memory_keyring,)

        class BadChain(chainer.ChainerBackend):
            backends = (memory_keyring, fail.Keyring())

        keyring.set_keyring(GoodChain())
        check_keyring_backend()
        keyring.set_keyring(BadChain())
        with pytest.raises(KeyringUnavailable):
            check_keyring_backend()
    finally:
        keyring.set_keyring(previous)


def test_recovery_codes_are_six_groups_of_five_crockford_symbols() -> None:
    codes = {new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z]{5}", code)
        assert normalise_recovery_code(code) == code


def test_a_recovery_code_is_read_back_tolerantly() -> None:
    assert normalise_recovery_code(" 7qh2m 0zc4k-abcde fghjk\nmnpqr-stvwx ") == (
        "7QH2M-0ZC4K-ABCDE-FGHJK-MNPQR-STVWX"
    )
    # I and L read as 1, O as 0 (Crockford), as a person copying by hand would mean them.
    assert normalise_recovery_code("IL0O0-" + "11111-" * 4 + "22222") == (
        "11000-11111-11111-11111-11111-22222"
    )


@pytest.mark.parametrize("text", ["", "ABCDE-ABCDE", "ABCDE-" * 6 + "A", "ABCDU-" * 5 + "ABCDE"])
def test_malformed_recovery_codes_say_what_a_code_looks_like(text: str) -> None:
    with pytest.raises(WrongRecoveryCodeError, match="6 groups of 5"):
        normalise_recovery_code(text)


def test_the_key_file_opens_with_the_code_in_any_spelling(tmp_path: Path) -> None:
    key, code = generate_key(), new_recovery_code()
    path = key_file_path(tmp_path / "site" / "seqtx.db")
    assert path == tmp_path / "site" / "seqtx.key"
    write_key_file(path, key, code, "db-1", FAST)
    assert read_key_file(path, code.lower().replace("-", " ")) == key
    assert key_file_db_id(path) == "db-1"
    assert sorted(p.name for p in path.parent.iterdir()) == ["seqtx.key"]  # no temp left
    text = path.read_text(encoding="utf-8")
    assert key.hex() not in text
    assert code not in text
    document = json.loads(text)
    assert document["kdf"]["name"] == "argon2id"
    assert document["wrap"]["alg"] == "AES-256-GCM"


def test_default_kdf_cost_follows_rfc_9106(tmp_path: Path) -> None:
    key, code = generate_key(), new_recovery_code()
    path = tmp_path / "seqtx.key"
    write_key_file(path, key, code, "db-1")
    kdf = json.loads(path.read_text(encoding="utf-8"))["kdf"]
    assert (kdf["time_cost"], kdf["memory_cost_kib"], kdf["parallelism"]) == (3, 65536, 4)
    assert read_key_file(path, code) == key


def test_a_wrong_code_is_refused_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "seqtx.key"
    write_key_file(path, generate_key(), new_recovery_code(), "db-1", FAST)
    before = path.read_bytes()
    with pytest.raises(WrongRecoveryCodeError, match="does not open"):
        read_key_file(path, new_recovery_code())
    assert path.read_bytes() == before


def test_a_key_file_moved_to_another_database_id_does_not_open(tmp_path: Path) -> None:
    path = tmp_path / "seqtx.key"
    code = new_recovery_code()
    write_key_file(path, generate_key(), code, "db-1", FAST)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["db_id"] = "db-2"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(WrongRecoveryCodeError):
        read_key_file(path, code)


@pytest.mark.parametrize("content", ["", "{}", '{"format": "seqtx-keyfile", "version": 1}', "[]"])
def test_damaged_key_files_are_reported(tmp_path: Path, content: str) -> None:
    path = tmp_path / "seqtx.key"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KeyFileError):
        read_key_file(path, new_recovery_code())


def test_a_missing_key_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="no key file"):
        read_key_file(tmp_path / "seqtx.key", new_recovery_code())


def test_the_data_center_slot_opens_with_the_center_key_only(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from db.keys import add_center_slot, read_center_slot

    key, code = generate_key(), new_recovery_code()
    path = tmp_path / "seqtx.key"
    write_key_file(path, key, code, "db-1", FAST)
    with pytest.raises(KeyFileError, match="no data-center slot"):
        read_center_slot(path, X25519PrivateKey.generate())
    center = X25519PrivateKey.generate()
    add_center_slot(path, key, center.public_key())
    assert read_center_slot(path, center) == key
    assert read_key_file(path, code) == key  # the recovery code still opens it
    with pytest.raises(KeyFileError, match="not for this key"):
        read_center_slot(path, X25519PrivateKey.generate())

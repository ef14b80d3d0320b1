"""NIST SP 800-63B-4 password policy and Argon2id hashing."""

from __future__ import annotations

from app.services import passwords
from app.services.passwords import (
    COMMON,
    CONTAINS_USERNAME,
    TOO_LONG,
    TOO_SHORT,
    check_password_policy,
    hash_password,
    verify_password,
)


def test_a_long_passphrase_without_composition_rules_is_accepted() -> None:
    assert check_password_policy("all lowercase words here", "nurse1") == []


def test_minimum_length_defaults_to_15_and_is_configurable() -> None:
    assert check_password_policy("fourteen chars", "x") == [TOO_SHORT]
    assert check_password_policy("fifteen chars!!", "x") == []
    assert check_password_policy("twelve chars", "x", min_length=10) == []
    # Never below NIST's floor of 8, whatever a site configures.
    assert TOO_SHORT in check_password_policy("seven77", "x", min_length=4)


def test_at_least_64_characters_are_allowed() -> None:
    assert check_password_policy("a b c d " * 8, "x") == []
    assert TOO_LONG in check_password_policy("x" * (passwords.MAX_LENGTH + 1), "y")


def test_common_passwords_are_refused_case_insensitively() -> None:
    assert len(passwords.common_passwords()) > 19000
    assert COMMON in check_password_policy("PASSWORD", "x", min_length=8)
    assert COMMON in check_password_policy("123456789987654321", "x")


def test_a_password_containing_the_username_is_refused() -> None:
    assert CONTAINS_USERNAME in check_password_policy("my name is wangfang ok", "WangFang")


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first = hash_password("a long enough passphrase")
    second = hash_password("a long enough passphrase")
    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_password(first, "a long enough passphrase")
    assert not verify_password(first, "a long enough passphrasE")
    assert not verify_password("not a hash", "a long enough passphrase")


def test_production_hash_cost_meets_rfc_9106() -> None:
    # RFC 9106 second recommended option: Argon2id, t=3, 64 MiB, p=4 (argon2-cffi's default).
    assert passwords._HASHER.time_cost >= 3
    assert passwords._HASHER.memory_cost >= 64 * 1024

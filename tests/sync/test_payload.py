"""The inflater's guards: expansion cap, DOCTYPE across chunk boundaries, damaged streams."""

from __future__ import annotations

import zlib

import pytest

from app.sync.errors import SyncRejected
from app.sync.payload import CHUNK, Inflater


def _drain(inflater: Inflater) -> int:
    total = 0
    while chunk := inflater.read(65536):
        total += len(chunk)
    return total


def test_a_compression_bomb_stops_at_the_cap() -> None:
    bomb = zlib.compress(b" " * (64 * 1024 * 1024), 9)  # 64 MiB of spaces in ~64 KiB
    assert len(bomb) < 100_000
    with pytest.raises(SyncRejected) as info:
        _drain(Inflater(memoryview(bomb), limit=8 * 1024 * 1024))
    assert info.value.code == "xml.too_large"


def test_a_doctype_split_across_chunks_is_found() -> None:
    text = b"a" * (CHUNK - 4) + b"<!DOCTYPE x>" + b"b" * 100
    with pytest.raises(SyncRejected) as info:
        _drain(Inflater(memoryview(zlib.compress(text))))
    assert info.value.code == "xml.doctype"


def test_plain_content_passes_whole() -> None:
    text = b"<ODM/>" * 500_000
    inflater = Inflater(memoryview(zlib.compress(text)))
    assert _drain(inflater) == len(text) and inflater.finished


@pytest.mark.parametrize("cut", [1, 10, -5])
def test_a_damaged_stream_is_refused(cut: int) -> None:
    data = zlib.compress(b"<ODM/>" * 1000)
    with pytest.raises(SyncRejected) as info:
        _drain(Inflater(memoryview(data[:cut])))
    assert info.value.code == "payload.damaged"

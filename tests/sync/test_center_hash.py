"""The data center's fast audit hash is db.audit.row_hash byte for byte: any text a site can send
(quotes, backslashes, control characters, non-ASCII), or a
center trail would no longer verify with the site's own verifier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.center_apply import _row_hash
from db.audit import GENESIS_HASH, row_hash

_texts = st.one_of(st.none(), st.text(max_size=40))


@settings(max_examples=500, deadline=None)
@given(
    row_id=st.integers(min_value=1, max_value=2**62),
    user_id=st.one_of(st.none(), st.integers(min_value=1, max_value=2**31)),
    seconds=st.integers(min_value=0, max_value=10**9),
    offset=st.integers(min_value=-720, max_value=840),
    action=st.sampled_from(["insert", "update", "delete", "upsert"]),
    path=st.text(max_size=60),
    old=_texts,
    new=_texts,
    reason=_texts,
)
def test_center_hash_is_the_site_hash(
    row_id: int,
    user_id: int | None,
    seconds: int,
    offset: int,
    action: str,
    path: str,
    old: str | None,
    new: str | None,
    reason: str | None,
) -> None:
    ts = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=seconds % 7)
    ts = ts.astimezone(timezone(timedelta(minutes=offset)))
    fields = {
        "row_id": row_id,
        "user_id": user_id,
        "ts_utc": ts,
        "utc_offset_minutes": offset,
        "action": action,
        "path": path,
        "old_value": old,
        "new_value": new,
        "reason": reason,
        "prev_hash": GENESIS_HASH,
    }
    assert _row_hash(**fields) == row_hash(**fields)


def test_center_hash_of_awkward_text() -> None:
    ts = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    for text in ('a "quoted" \\ path', "\x00\x1f\x7f", "\u2028\u2029", "血小板 10*9/L"):
        fields = {
            "row_id": 7,
            "user_id": None,
            "ts_utc": ts,
            "utc_offset_minutes": 480,
            "action": "update",
            "path": text,
            "old_value": text,
            "new_value": None,
            "reason": text,
            "prev_hash": GENESIS_HASH,
        }
        assert _row_hash(**fields) == row_hash(**fields), repr(text)

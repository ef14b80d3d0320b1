"""The QR payload: what a page's code says and how scan-back reads it."""

from __future__ import annotations

import pytest

from app.crf.locator import CrfLocator, QrPayloadError, parse_qr_payload


def test_payload_round_trips_with_a_repeating_event() -> None:
    loc = CrfLocator("NCT03835312", "CHFU", "FD-001", "SE.COND", "-3", "F.CONDADM", "1.0", 2)
    text = loc.payload()
    assert text == "SEQTX|NCT03835312|CHFU|FD-001|SE.COND[-3]|F.CONDADM|1.0|2"
    assert parse_qr_payload(text) == loc


def test_blank_form_has_no_subject() -> None:
    loc = parse_qr_payload("SEQTX|NCT03835312|CHFU||SE.FU03|F.FU|1.0|1")
    assert loc.is_blank
    assert (loc.event, loc.repeat, loc.form, loc.page) == ("SE.FU03", "", "F.FU", 1)


def test_scanner_newline_and_spaces_are_ignored() -> None:
    loc = parse_qr_payload("  seqtx|NCT03835312|CHFU|FD-002|SE.DAY0|F.INF|1.0|3\r\n")
    assert (loc.subject, loc.page) == ("FD-002", 3)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("FD-001", "not a SeqTx CRF code"),
        ("SEQTX|NCT03835312|CHFU|FD-001|SE.DAY0|F.INF|1.0", "expected 8 fields"),
        ("SEQTX|NCT03835312|CHFU|FD-001|SE.DAY0|F.INF|1.0|0", "page"),
        ("SEQTX|NCT03835312|CHFU|FD-001|SE.DAY0|F.INF|1.0|x", "page"),
        ("SEQTX|NCT03835312|CHFU|FD-001|SE DAY0|F.INF|1.0|1", "visit"),
        ("SEQTX||CHFU|FD-001|SE.DAY0|F.INF|1.0|1", "required"),
        ("SEQTX|NCT03835312|CHFU|FD-001|SE.DAY0||1.0|1", "required"),
    ],
)
def test_anything_else_is_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(QrPayloadError, match=problem):
        parse_qr_payload(text)


def test_a_field_with_a_separator_cannot_be_encoded() -> None:
    with pytest.raises(QrPayloadError, match="site"):
        CrfLocator("NCT03835312", "A|B", "", "SE.DAY0", "", "F.INF", "1.0", 1).payload()

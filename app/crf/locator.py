"""The content of a CRF page's QR code: writing it and reading it back (scan-back).

Format, one line of `|`-separated fields:

    SEQTX|NCT03835312|<site>|<subject>|<event>[<repeat>]|<form>|<form version>|<page>

`subject` is empty on a blank form, `[<repeat>]` is present only for a repeating event (study day,
month or sequence), `page` is the page number within the form (1-based). No field may contain `|`
or a line break; OIDs, site codes and subject keys never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "SEQTX"
_EVENT = re.compile(r"^(?P<oid>[A-Za-z0-9._-]+)(?:\[(?P<repeat>[^\[\]|]*)\])?$")
_FIELD = re.compile(r"^[^|\r\n]*$")


class QrPayloadError(ValueError):
    """The text is not a SeqTx CRF QR payload; the message says which part is wrong."""


@dataclass(frozen=True)
class CrfLocator:
    study: str
    site: str
    subject: str  # "" on a blank form
    event: str
    repeat: str  # "" unless the event repeats
    form: str
    version: str
    page: int

    def payload(self) -> str:
        for name in ("study", "site", "subject", "event", "repeat", "form", "version"):
            if not _FIELD.match(getattr(self, name)):
                raise QrPayloadError(f"{name} contains '|' or a line break")
        event = f"{self.event}[{self.repeat}]" if self.repeat else self.event
        fields = (PREFIX, self.study, self.site, self.subject, event, self.form, self.version)
        return "|".join((*fields, str(self.page)))

    @property
    def is_blank(self) -> bool:
        return not self.subject


def parse_qr_payload(text: str) -> CrfLocator:
    """Read a scanned or typed QR payload; raises QrPayloadError for anything else.

    Scanners often add a trailing newline or surrounding spaces, so those are stripped.
    """
    parts = text.strip().split("|")
    if parts[0].upper() != PREFIX:
        raise QrPayloadError("not a SeqTx CRF code")
    if len(parts) != 8:
        raise QrPayloadError(f"expected 8 fields, found {len(parts)}")
    _, study, site, subject, event_field, form, version, page_text = (p.strip() for p in parts)
    match = _EVENT.match(event_field)
    if match is None:
        raise QrPayloadError("the visit field is not an event OID")
    if not study or not form:
        raise QrPayloadError("study and form are required")
    if not page_text.isdigit() or int(page_text) < 1:
        raise QrPayloadError("the page is not a positive number")
    return CrfLocator(
        study=study,
        site=site,
        subject=subject,
        event=match["oid"],
        repeat=match["repeat"] or "",
        form=form,
        version=version,
        page=int(page_text),
    )

"""Why a sync package or acknowledgement was refused: one stable code and a PHI-free message each.

Every rejection the data center or the site can give is listed here, so that the fuzz test can
check that mutated input only ever produces one of these (never a traceback or a partial import).
"""

from __future__ import annotations

from typing import Final

REJECTION_CODES: Final[dict[str, str]] = {
    "container.magic": "not a SeqTx sync package (unknown file signature)",
    "container.truncated": "the package is truncated or its layout is damaged",
    "container.header": "the package header is damaged",
    "container.too_large": "the package is larger than the import limit",
    "site.unknown": "the package is signed by a site that is not registered here",
    "signature.invalid": "the package signature does not verify: it was altered or not signed by the registered site key",
    "recipient.other": "the package was encrypted to another data center key",
    "decrypt.failed": "the package cannot be decrypted with this data center key",
    "payload.damaged": "the decrypted package content is damaged",
    "manifest.invalid": "the package manifest is invalid",
    "manifest.mismatch": "the manifest does not match the package header or the ODM document",
    "hash.mismatch": "a hash in the manifest does not match the content",
    "xml.doctype": "XML document type declarations and entities are refused (XXE / entity expansion)",
    "xml.too_large": "the ODM document expands beyond the size limit",
    "xml.malformed": "the ODM document is not well-formed XML",
    "odm.invalid": "the ODM document is not valid against the CDISC ODM 1.3.2 schema",
    "odm.content": "the ODM document is valid ODM but not a SeqTx sync document",
    "chain.replay": "a different package was already received under this sequence number or file OID (replay with different content)",
    "chain.broken": "the package does not continue the chain of packages received from this site",
    "chain.mismatch": "the acknowledgement names packages this site never wrote",
    "ack.signature": "the acknowledgement signature does not verify against the data center key",
    "ack.invalid": "the acknowledgement file is damaged or not an acknowledgement for this site",
    "key.invalid": "the key file is damaged or not a SeqTx key file",
    "key.missing": "no data center public key has been imported at this site",
    "key.passphrase": "the passphrase does not open the data center private key",
}


class SyncRejected(Exception):
    """A package, acknowledgement or key file refused; nothing was changed.

    `code` is one of REJECTION_CODES; `detail` adds a PHI-free specific (an OID, a line number).
    """

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code}")
        self.code = code
        self.detail = detail
        text = REJECTION_CODES[code]
        super().__init__(f"{text} [{code}]" + (f": {detail}" if detail else ""))

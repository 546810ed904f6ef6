"""The audit chain's encoding on the server side; the hash itself lives in verify_log.py."""

import datetime
import hashlib
import re
import secrets

from django.utils.translation import gettext as _

from backend.errors import Invalid
from voting.verify_log import GENESIS, record_hash  # noqa: F401 - re-exported

UTC = datetime.UTC
HASH = re.compile(r"[0-9a-f]{64}")


def pseudonym(kind: str, salt: str, ident: int) -> str:
    """A stable public name for an organization or person inside one consultation.

    Derived with the ballot's secret salt, so the public cannot reverse it but the
    server (verify_votes) can check that a record still points at the right rows.
    """
    return hashlib.sha256(f"{kind}:{salt}:{ident}".encode()).hexdigest()[:32]


def new_nonce() -> str:
    """Random per record: without it a sealed secret-ballot hash could be brute-forced."""
    return secrets.token_hex(16)


def timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def public_fields(record) -> dict:
    """The hashed fields of a VoteRecord, as the published log shows them."""
    return {
        "consultation": record.consultation_id,
        "seq": record.seq,
        "item": record.item_id,
        "voter": record.voter,
        "actor": record.actor_token,
        "choice": record.choice,
        "action": record.action,
        "nonce": record.nonce,
        "at": timestamp(record.recorded_at),
    }


def compute_hash(record) -> str:
    return record_hash(public_fields(record), record.prev_hash)


def parse_receipt(text) -> str:
    """A receipt as typed or pasted (spaces, capitals allowed) → its 64 hex digits.

    Anything else is refused with a message, before it reaches the database.
    """
    receipt = text.strip().lower() if isinstance(text, str) else ""
    if not HASH.fullmatch(receipt):
        raise Invalid(
            _("A receipt is 64 characters long, made of the digits 0–9 and the letters a–f."),
            field="receipt",
        )
    return receipt

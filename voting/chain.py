"""The audit chain's encoding on the server side; the hash itself lives in verify_log.py."""

import datetime
import hashlib
import secrets

from voting.verify_log import GENESIS, record_hash  # noqa: F401 - re-exported

UTC = datetime.UTC


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

"""Thin shapes for the voting API; rules live in services and selectors."""

from rest_framework import serializers

from voting.models import Vote


class VoteInput(serializers.Serializer):
    choice = serializers.CharField(max_length=20)


class VoteOutput(serializers.ModelSerializer):
    receipt = serializers.CharField(read_only=True)

    class Meta:
        model = Vote
        fields = ["item", "organization", "choice", "cast_at", "updated_at", "receipt"]
        read_only_fields = fields


_moment = serializers.DateTimeField()


def vote_output(vote: Vote) -> dict:
    """VoteOutput's shape, built directly: a vote answers hundreds of times a second and a
    ModelSerializer costs a millisecond to set up per call (docs/PERFORMANCE.md "Votes")."""
    return {
        "item": vote.item_id,
        "organization": vote.organization_id,
        "choice": vote.choice,
        "cast_at": _moment.to_representation(vote.cast_at),
        "updated_at": _moment.to_representation(vote.updated_at),
        "receipt": vote.receipt,
    }


class ChainOutput(serializers.Serializer):
    """The chain head: how many records, and the hash of the last (64 zeros: none yet)."""

    length = serializers.IntegerField()
    head = serializers.CharField()


class TallyOutput(serializers.Serializer):
    item = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField()
    chain = ChainOutput()


class LogEntryOutput(serializers.Serializer):
    """One published audit-chain record (docs/VOTING.md); voter and actor are pseudonyms.

    A sealed record (secret ballot still open) has only seq, prev_hash, hash and sealed.
    """

    seq = serializers.IntegerField()
    consultation = serializers.IntegerField(required=False)
    item = serializers.IntegerField(required=False)
    voter = serializers.CharField(required=False)
    actor = serializers.CharField(required=False)
    choice = serializers.CharField(required=False, allow_blank=True)
    action = serializers.CharField(required=False)
    nonce = serializers.CharField(required=False)
    at = serializers.CharField(required=False)
    prev_hash = serializers.CharField()
    hash = serializers.CharField()
    sealed = serializers.BooleanField()
    organization = serializers.DictField(required=False)


class ReceiptConsultationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ReceiptItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ReceiptOrganizationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReceiptOutput(serializers.Serializer):
    """The receipt check (voting.payloads.receipt): null where the secret ballot seals it."""

    receipt = serializers.CharField()
    consultation = ReceiptConsultationOutput()
    seq = serializers.IntegerField()
    chain = ChainOutput()
    sealed = serializers.BooleanField()
    item = ReceiptItemOutput(allow_null=True)
    action = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField(allow_null=True)
    choice = serializers.CharField(allow_null=True)
    organization = ReceiptOrganizationOutput(allow_null=True)

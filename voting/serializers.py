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


class TallyOutput(serializers.Serializer):
    item = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField()


class LogEntryOutput(serializers.Serializer):
    """One published audit-chain record (docs/VOTING.md); voter and actor are pseudonyms."""

    seq = serializers.IntegerField()
    consultation = serializers.IntegerField(required=False)
    item = serializers.IntegerField()
    voter = serializers.CharField(required=False)
    actor = serializers.CharField(required=False)
    choice = serializers.CharField(required=False, allow_blank=True)
    action = serializers.CharField()
    nonce = serializers.CharField(required=False)
    at = serializers.CharField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()
    sealed = serializers.BooleanField()
    organization = serializers.DictField(required=False)

"""Follow-up in and out of the API; the output is the one payload of a follow-up row."""

from rest_framework import serializers

from followups.models import FollowUp

# An id beyond PostgreSQL's integer is no id (and must not reach the database as one).
MAX_ID = 2**31 - 1


class FollowUpInput(serializers.Serializer):
    """Exactly one of `response`, `item`, `proposal`. Status, progress, note and link are
    checked by the service (one home of the rule for the API and the page)."""

    consultation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    response = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    item = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    proposal = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    status = serializers.ChoiceField(choices=FollowUp.Status.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=5000, trim_whitespace=False)
    link = serializers.CharField(
        required=False, allow_blank=True, max_length=500, trim_whitespace=True
    )


class FollowUpOutput(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="aspiration_id", allow_null=True, read_only=True)
    target = serializers.CharField(source="target_key", read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "consultation",
            "target",
            "response",
            "item",
            "proposal",
            "status",
            "progress",
            "note",
            "link",
            "recorded_at",
            "recorded_by",
        ]
        read_only_fields = fields

    def get_recorded_by(self, row: FollowUp) -> str:
        """Officials act in office: their name is shown."""
        user = row.recorded_by
        return user.get_full_name() or user.get_username()

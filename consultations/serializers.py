"""REST input and output shapes of consultations, sections, versions and items."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Agency
from accounts.serializers import AgencyOutput
from consultations import selectors
from consultations.models import Consultation, DraftVersion, Item, Section


class ConsultationInput(serializers.Serializer):
    """The fields of ARCHITECTURE.md §5; only the fields sent are passed to the service."""

    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=Consultation.Kind.choices, required=False)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)
    audience = serializers.ChoiceField(choices=Consultation.Audience.choices, required=False)
    moderation = serializers.ChoiceField(choices=Consultation.Moderation.choices, required=False)
    ballot = serializers.ChoiceField(choices=Consultation.Ballot.choices, required=False)
    voting_method = serializers.ChoiceField(
        choices=Consultation.VotingMethod.choices, required=False
    )
    max_choices = serializers.IntegerField(min_value=1, max_value=100, required=False)
    data_license = serializers.ChoiceField(choices=Consultation.DataLicense.choices, required=False)

    def validate(self, attrs):
        opens_at, closes_at = attrs.get("opens_at"), attrs.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            raise serializers.ValidationError(
                {"closes_at": [_("The closing time must be after the opening time.")]}
            )
        return attrs


class CloseInput(serializers.Serializer):
    """An early close needs the reason, shown with the consultation from then on."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConsultationOutput(serializers.ModelSerializer):
    """`status` follows the clock: `scheduled` until `opens_at`; `closed_by_name` and
    `close_reason` say who closed it early and why (empty when it closed on time)."""

    agency = AgencyOutput(allow_null=True)
    closed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "kind",
            "title",
            "summary",
            "agency",
            "status",
            "opens_at",
            "closes_at",
            "audience",
            "moderation",
            "ballot",
            "voting_method",
            "max_choices",
            "data_license",
            "published_at",
            "closed_at",
            "closed_by_name",
            "close_reason",
            "concluded_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_closed_by_name(self, consultation) -> str | None:
        user = consultation.closed_by
        return (user.get_full_name() or user.get_username()) if user else None


class ConsultationDetailOutput(ConsultationOutput):
    current_version = serializers.SerializerMethodField()

    class Meta(ConsultationOutput.Meta):
        fields = [*ConsultationOutput.Meta.fields, "current_version"]
        read_only_fields = fields

    def get_current_version(self, consultation) -> int | None:
        version = selectors.current_version(consultation)
        return version.number if version else None


class SectionInput(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    heading = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=50000, trim_whitespace=False)
    position = serializers.IntegerField(min_value=0, max_value=100000, required=False)


class SectionChange(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "delete", "insert"])
    text = serializers.CharField()


class SectionOutput(serializers.ModelSerializer):
    """`changes` is a word diff against the same section in the previous version."""

    version = serializers.IntegerField(source="version.number")
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = [
            "id",
            "consultation",
            "version",
            "position",
            "number",
            "heading",
            "body",
            "previous",
            "changes",
        ]
        read_only_fields = fields

    @extend_schema_field(SectionChange(many=True))
    def get_changes(self, section):
        return [{"op": op, "text": text} for op, text in selectors.section_changes(section)]


class VersionInput(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VersionOutput(serializers.ModelSerializer):
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = DraftVersion
        fields = ["number", "note", "is_published", "published_at", "created_at"]
        read_only_fields = fields


class ItemInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    programme_path = serializers.CharField(max_length=300, required=False, allow_blank=True)
    indicators = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=50, required=False
    )
    budget_ceiling = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    position = serializers.IntegerField(min_value=0, max_value=100000, required=False)


class ItemOutput(serializers.ModelSerializer):
    indicators = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Item
        fields = [
            "id",
            "consultation",
            "position",
            "title",
            "description",
            "code",
            "programme_path",
            "indicators",
            "budget_ceiling",
        ]
        read_only_fields = fields

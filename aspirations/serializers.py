"""REST input and output shapes of proposals, supports, decisions, scores and the lists.

Inputs only parse types (and name unknown ids clearly); every rule is the service's, so the
API and the pages give the same message.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.names import public_name
from aspirations import permissions
from aspirations.models import (
    Aspiration,
    AspirationVersion,
    Attachment,
    Category,
    Criterion,
    Decision,
    Kecamatan,
    Kelurahan,
    Score,
    Stage,
)
from comments.models import Comment
from comments.payloads import display_name
from consultations.models import Consultation, Item
from hearings.models import Hearing

BIGINT = 2**63 - 1


class IdField(serializers.PrimaryKeyRelatedField):
    """An id of a row; ids no column can hold are "not found", not a database error."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        if not text.isdigit() or not text.isascii() or not 0 < int(text) <= BIGINT:
            self.fail("does_not_exist", pk_value=text[:30])
        return super().to_internal_value(int(text))


def _id(queryset, message, **kwargs):
    return IdField(queryset=queryset, error_messages={"does_not_exist": message}, **kwargs)


# --- inputs -----------------------------------------------------------------------------------


class AspirationInput(serializers.Serializer):
    """A new proposal. JSON, or multipart/form-data when it carries attachments."""

    consultation = _id(
        Consultation.objects.all(),
        _("Consultation not found."),
        required=False,
        help_text="The RPJMD consultation; default: the newest open one.",
    )
    title = serializers.CharField(trim_whitespace=False, allow_blank=True)
    description = serializers.CharField(trim_whitespace=False, allow_blank=True)
    category = _id(Category.objects.all(), _("Unknown category: choose one from the list."))
    kecamatan = _id(
        Kecamatan.objects.all(),
        _("Unknown kecamatan: choose one of the city's four."),
        required=False,
        help_text="Optional; must be the kelurahan's kecamatan.",
    )
    kelurahan = _id(
        Kelurahan.objects.all(), _("Unknown kelurahan: choose one of the city's kelurahan.")
    )
    rw = serializers.CharField(required=False, allow_blank=True, max_length=10)
    estimated_cost = serializers.DecimalField(max_digits=15, decimal_places=2)
    beneficiaries = serializers.IntegerField()
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        help_text="Up to 3 photos (PNG, JPEG) or PDFs, 5 MB each (multipart/form-data).",
    )


class AspirationEditInput(serializers.Serializer):
    """The author's change before the first decision; it makes a new version."""

    title = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    description = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    category = _id(
        Category.objects.all(), _("Unknown category: choose one from the list."), required=False
    )
    kecamatan = _id(
        Kecamatan.objects.all(),
        _("Unknown kecamatan: choose one of the city's four."),
        required=False,
    )
    kelurahan = _id(
        Kelurahan.objects.all(),
        _("Unknown kelurahan: choose one of the city's kelurahan."),
        required=False,
    )
    rw = serializers.CharField(required=False, allow_blank=True, max_length=10)
    estimated_cost = serializers.DecimalField(max_digits=15, decimal_places=2, required=False)
    beneficiaries = serializers.IntegerField(required=False)
    add_attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False
    )
    remove_attachments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT), required=False
    )


class DecisionInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    reason = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    merged_into = _id(
        Aspiration.objects.all(), _("No proposal has that number."), required=False, allow_null=True
    )
    item = _id(Item.objects.all(), _("No programme has that id."), required=False, allow_null=True)
    pagu = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True
    )


class ForumAgendaInput(serializers.Serializer):
    """Put a proposal on a forum hearing's agenda."""

    hearing = _id(Hearing.objects.all(), _("No hearing has that id."))
    position = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=10_000,
        help_text="Place on the agenda (1 = first); default: last.",
    )


class ScoreEntryInput(serializers.Serializer):
    criterion = _id(Criterion.objects.all(), _("Unknown scoring criterion."))
    value = serializers.IntegerField()


class ScoresInput(serializers.Serializer):
    scores = ScoreEntryInput(many=True)


class AspirationCommentInput(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Comment.Stance.choices)
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    parent = _id(
        Comment.objects.all(), _("The comment you reply to was not found."), required=False
    )


class CategoryInput(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0, max_value=100000)


class CategoryEditInput(serializers.Serializer):
    name = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class CriterionInput(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0, max_value=100000)


# --- outputs ----------------------------------------------------------------------------------


class SupportCountsOutput(serializers.Serializer):
    organizations = serializers.IntegerField()
    citizens = serializers.IntegerField()


class ForumScoreOutput(serializers.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.IntegerField()


class ForumProposalOutput(serializers.Serializer):
    """For the schema only: the answer is aspirations.payloads.proposal, the same shape as
    an entry of the `forum.changed` event and of the hearing snapshot's `forum`."""

    id = serializers.IntegerField()
    agenda_item = serializers.IntegerField()
    title = serializers.CharField()
    kelurahan = serializers.CharField()
    kecamatan = serializers.CharField()
    estimated_cost = serializers.DecimalField(max_digits=15, decimal_places=2)
    stage = serializers.ChoiceField(choices=Stage.choices)
    status = serializers.ChoiceField(choices=Aspiration.Status.choices)
    supports = SupportCountsOutput()
    scores = ForumScoreOutput(many=True)
    score_total = serializers.IntegerField()
    url = serializers.CharField()


class AspirationOutput(serializers.ModelSerializer):
    """A row of the list: reads the select_related category, area, author, organization, item."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    kecamatan_name = serializers.CharField(source="kecamatan.name", read_only=True)
    kelurahan_name = serializers.CharField(source="kelurahan.name", read_only=True)
    author_name = serializers.SerializerMethodField()
    organization_name = serializers.SerializerMethodField()
    supports = serializers.SerializerMethodField()
    item_code = serializers.SerializerMethodField()
    item_title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Aspiration
        fields = [
            "id",
            "consultation",
            "title",
            "category",
            "category_name",
            "kecamatan",
            "kecamatan_name",
            "kelurahan",
            "kelurahan_name",
            "rw",
            "estimated_cost",
            "beneficiaries",
            "stage",
            "status",
            "version",
            "supports",
            "author_name",
            "organization",
            "organization_name",
            "merged_into",
            "item",
            "item_code",
            "item_title",
            "pagu",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_author_name(self, obj) -> str | None:
        # A citizen's proposal shows their public name (pseudonym unless they opted in).
        return public_name(obj.author)

    def get_organization_name(self, obj) -> str | None:
        return obj.organization.name if obj.organization_id else None

    @extend_schema_field(SupportCountsOutput)
    def get_supports(self, obj):
        return {"organizations": obj.support_organizations, "citizens": obj.support_citizens}

    def get_item_code(self, obj) -> str | None:
        return obj.item.code if obj.item_id else None

    def get_item_title(self, obj) -> str | None:
        return obj.item.title if obj.item_id else None

    def get_url(self, obj) -> str:
        return reverse("aspiration-page", args=[obj.pk])


class AttachmentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "sha256", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("aspiration-attachment", args=[obj.aspiration_id, obj.pk])


class DecisionOutput(serializers.ModelSerializer):
    decided_by_name = serializers.SerializerMethodField()
    item_code = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "aspiration",
            "stage",
            "outcome",
            "reason",
            "merged_into",
            "item",
            "item_code",
            "pagu",
            "rank",
            "ranked_among",
            "score",
            "support_organizations",
            "support_citizens",
            "decided_by_name",
            "decided_at",
        ]
        read_only_fields = fields

    def get_decided_by_name(self, obj) -> str | None:
        return display_name(obj.decided_by)

    def get_item_code(self, obj) -> str | None:
        return obj.item.code if obj.item_id else None


class ScoreOutput(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "criterion_name", "stage", "value", "scored_at"]
        read_only_fields = fields


class AspirationDetailOutput(AspirationOutput):
    """The proposal page's data: text, current files, decisions, the reader's own rights."""

    attachments = serializers.SerializerMethodField()
    decisions = DecisionOutput(many=True, read_only=True)
    supporting_organizations = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    can_support = serializers.SerializerMethodField()
    can_decide = serializers.SerializerMethodField()

    class Meta(AspirationOutput.Meta):
        fields = [
            *AspirationOutput.Meta.fields,
            "description",
            "attachments",
            "decisions",
            "supporting_organizations",
            "can_edit",
            "can_support",
            "can_decide",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    @extend_schema_field(AttachmentOutput(many=True))
    def get_attachments(self, obj):
        return AttachmentOutput(obj.current_files, many=True).data

    def get_supporting_organizations(self, obj) -> list[str]:
        return list(
            obj.supports.filter(organization__isnull=False)
            .order_by("created_at", "id")
            .values_list("organization__name", flat=True)
        )

    def get_can_edit(self, obj) -> bool:
        return permissions.can_edit(self._user(), obj)

    def get_can_support(self, obj) -> bool:
        return permissions.can_support(self._user(), obj)

    def get_can_decide(self, obj) -> bool:
        return permissions.can_decide(self._user(), obj)


class AspirationVersionOutput(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    kelurahan_name = serializers.CharField(source="kelurahan.name", read_only=True)

    class Meta:
        model = AspirationVersion
        fields = [
            "number",
            "title",
            "description",
            "category",
            "category_name",
            "kelurahan",
            "kelurahan_name",
            "rw",
            "estimated_cost",
            "beneficiaries",
            "created_at",
        ]
        read_only_fields = fields


class RankingRowOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.IntegerField()
    scores = ScoreOutput(many=True)
    aspiration = AspirationOutput()


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "position", "is_active"]
        read_only_fields = fields


class CriterionOutput(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "position", "is_active"]
        read_only_fields = fields


class KelurahanOutput(serializers.ModelSerializer):
    class Meta:
        model = Kelurahan
        fields = ["id", "name"]
        read_only_fields = fields


class KecamatanOutput(serializers.ModelSerializer):
    kelurahan = KelurahanOutput(many=True, read_only=True)

    class Meta:
        model = Kecamatan
        fields = ["id", "name", "kelurahan"]
        read_only_fields = fields

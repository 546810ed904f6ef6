"""REST input and output shapes of comments, moderation actions and responses."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts import models as accounts_models
from comments import models as comment_models
from comments import payloads, permissions, selectors
from consultations import models as consultations_models


class CommentResponseOutput(serializers.ModelSerializer):
    responder_name = serializers.SerializerMethodField()
    is_published = serializers.SerializerMethodField()

    class Meta:
        model = comment_models.Response
        fields = [
            "id",
            "consultation",
            "comment",
            "section",
            "outcome",
            "body",
            "responder_name",
            "is_published",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_responder_name(self, obj) -> str | None:
        return payloads.display_name(obj.responder)

    def get_is_published(self, obj) -> bool:
        return obj.published_at is not None


# Computed per reader, on top of the comment payload.
READER_FIELDS = ("is_own", "moderation_reason", "response")


class CommentOutput(serializers.ModelSerializer):
    """The comment payload (payloads.comment, also the events' and the snapshot's shape)
    plus what depends on the reader: `is_own`, `moderation_reason`, `response`."""

    # Declared for the schema; the values come from the payload.
    author_name = serializers.CharField(read_only=True, allow_null=True)
    organization_name = serializers.CharField(read_only=True, allow_null=True)
    is_own = serializers.SerializerMethodField()
    moderation_reason = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()

    class Meta:
        model = comment_models.Comment
        fields = [*payloads.COMMENT, *READER_FIELDS]
        read_only_fields = fields

    def to_representation(self, obj):
        data = payloads.comment(obj)
        for name in READER_FIELDS:
            data[name] = getattr(self, f"get_{name}")(obj)
        return data

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_is_own(self, obj) -> bool:
        user = self._user()
        return bool(user is not None and user.is_authenticated and obj.author_id == user.pk)

    def get_moderation_reason(self, obj) -> str:
        """The decision's reason is for the author and the moderators, not for every reader."""
        user = self._user()
        if self.get_is_own(obj) or permissions.can_see_all_comments(user):
            return obj.moderation_reason
        return ""

    def get_response(self, obj) -> dict | None:
        response = selectors.visible_response(obj, self._user())
        if response is None:
            return None
        # One child serializer per list, not one per row: building one costs milliseconds.
        if not hasattr(self, "_response_output"):
            self._response_output = CommentResponseOutput()
        return self._response_output.to_representation(response)


class CommentCreateInput(serializers.Serializer):
    consultation = serializers.PrimaryKeyRelatedField(
        queryset=consultations_models.Consultation.objects.all()
    )
    section = serializers.PrimaryKeyRelatedField(
        queryset=consultations_models.Section.objects.all(), required=False, allow_null=True
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=consultations_models.Item.objects.all(), required=False, allow_null=True
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Comment.objects.all(), required=False, allow_null=True
    )
    hearing = serializers.PrimaryKeyRelatedField(
        # The model the comment's foreign key names: hearings sits above comments (ARCHITECTURE §1).
        queryset=comment_models.Comment._meta.get_field("hearing").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    stance = serializers.ChoiceField(choices=comment_models.Comment.Stance.choices)
    # Length and blank checks live in the service, so every client gets the same message.
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)


class CommentEditInput(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    stance = serializers.ChoiceField(choices=comment_models.Comment.Stance.choices, required=False)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RespondInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=comment_models.Response.Outcome.choices)
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    publish = serializers.BooleanField(required=False, default=False)


class ResponseCreateInput(RespondInput):
    comment = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Comment.objects.all(), required=False, allow_null=True
    )
    section = serializers.PrimaryKeyRelatedField(
        queryset=consultations_models.Section.objects.all(), required=False, allow_null=True
    )


class ResponseUpdateInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=comment_models.Response.Outcome.choices, required=False
    )
    body = serializers.CharField(trim_whitespace=False, required=False, allow_blank=True)


class ResponsesPublishInput(serializers.Serializer):
    consultation = serializers.PrimaryKeyRelatedField(
        queryset=consultations_models.Consultation.objects.all()
    )


class ResponsesPublishedOutput(serializers.Serializer):
    consultation = serializers.IntegerField()
    published = serializers.IntegerField()


class ModerationActionOutput(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    consultation = serializers.IntegerField(source="comment.consultation_id", read_only=True)

    class Meta:
        model = comment_models.ModerationAction
        fields = ["id", "comment", "consultation", "action", "reason", "actor_name", "created_at"]
        read_only_fields = fields

    def get_actor_name(self, obj) -> str | None:
        return payloads.display_name(obj.actor)


class CommentReportOutput(serializers.ModelSerializer):
    """What the reporter gets back: their report. Not the comment, which the report may
    just have hidden from them."""

    class Meta:
        model = comment_models.CommentReport
        fields = ["id", "comment", "reason", "created_at"]
        read_only_fields = fields


class TrustedFlaggerInput(serializers.Serializer):
    """Either a user (by username) or a verified organization (by id)."""

    username = serializers.CharField(required=False, allow_blank=False, max_length=150)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=accounts_models.Organization.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate_username(self, value):
        user = get_user_model().objects.filter(username=value).first()
        if user is None:
            raise serializers.ValidationError(_("No user with this username."))
        return user

    def validate(self, data):
        data = dict(data)
        data["user"] = data.pop("username", None)
        return data


class TrustedFlaggerOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True, default=None)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None
    )
    named_by_name = serializers.SerializerMethodField()

    class Meta:
        model = comment_models.TrustedFlagger
        fields = [
            "id",
            "user",
            "username",
            "organization",
            "organization_name",
            "reason",
            "named_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_named_by_name(self, obj) -> str | None:
        return payloads.display_name(obj.named_by)

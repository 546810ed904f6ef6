"""Input serializers validate a request body (400 with field errors); output ones shape answers.

They never save: the viewset passes `validated_data` to a service.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations import models as comment_models
from consultations import permissions, selectors
from consultations.models import (
    Agency,
    Consultation,
    DraftVersion,
    Hearing,
    Item,
    ManualCount,
    Membership,
    Organization,
    Section,
)

User = get_user_model()


# --- Agencies, organizations, consultations, sections, items (issue 2: branch api) ---


class ErrorOutput(serializers.Serializer):
    """A refused request (403/404/409/…); 400s add `{"<field>": ["message"]}`."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


# Users and auth -------------------------------------------------------------------------


class RegisterInput(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=150)


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(source="key")


class UserOutput(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name")

    class Meta:
        model = User
        fields = ["id", "username", "email", "full_name"]
        read_only_fields = fields


class UserBriefOutput(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name")

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class OrganizationBriefOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "acronym", "status"]
        read_only_fields = fields


class OwnMembershipOutput(serializers.ModelSerializer):
    organization = OrganizationBriefOutput()

    class Meta:
        model = Membership
        fields = ["organization", "role"]
        read_only_fields = fields


class MeOutput(UserOutput):
    roles = serializers.SerializerMethodField()
    membership = serializers.SerializerMethodField()

    class Meta(UserOutput.Meta):
        fields = [*UserOutput.Meta.fields, "roles", "membership"]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=permissions.ROLE_GROUPS))
    )
    def get_roles(self, user) -> list[str]:
        return [name for name in permissions.ROLE_GROUPS if permissions.in_group(user, name)]

    @extend_schema_field(OwnMembershipOutput(allow_null=True))
    def get_membership(self, user):
        membership = permissions.membership_of(user)
        return OwnMembershipOutput(membership).data if membership else None


# Agencies ---------------------------------------------------------------------------------


class AgencyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AgencyOutput(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "acronym"]
        read_only_fields = fields


# Organizations ----------------------------------------------------------------------------


class OrganizationRegisterInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    registration_number = serializers.CharField(max_length=100)
    registration_issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    registration_expires_on = serializers.DateField()
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )


class OrganizationUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class OrganizationSuspendInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


PRIVATE_ORGANIZATION_FIELDS = ("contact_email", "contact_phone", "status_reason")


class OrganizationOutput(serializers.ModelSerializer):
    """Contact details and the status reason are null unless the viewer may see them."""

    registration_valid = serializers.SerializerMethodField()
    # Output: an organization may have no address yet (""), which is not a valid "email".
    contact_email = serializers.CharField(allow_null=True)
    contact_phone = serializers.CharField(allow_null=True)
    status_reason = serializers.CharField(allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "acronym",
            "registration_number",
            "registration_issued_on",
            "registration_expires_on",
            "registration_valid",
            "address",
            "contact_email",
            "contact_phone",
            "status",
            "status_reason",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_registration_valid(self, organization) -> bool:
        return organization.registration_valid_on(timezone.localdate())

    def to_representation(self, organization):
        data = super().to_representation(organization)
        user = self.context["request"].user if "request" in self.context else None
        if not permissions.can_view_organization_contact(user, organization):
            for name in PRIVATE_ORGANIZATION_FIELDS:
                data[name] = None
        return data


class MembershipAddInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)

    def validate_username(self, value):
        user = User.objects.filter(username__iexact=value.strip(), is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No user with this username."))
        return user


class MembershipRoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MembershipOutput(serializers.ModelSerializer):
    user = UserBriefOutput()

    class Meta:
        model = Membership
        fields = ["id", "user", "organization", "role", "created_at"]
        read_only_fields = fields


# Consultations ----------------------------------------------------------------------------


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

    def validate(self, attrs):
        opens_at, closes_at = attrs.get("opens_at"), attrs.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            raise serializers.ValidationError(
                {"closes_at": [_("The closing time must be after the opening time.")]}
            )
        return attrs


class ConsultationOutput(serializers.ModelSerializer):
    agency = AgencyOutput(allow_null=True)

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
            "published_at",
            "closed_at",
            "concluded_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ConsultationDetailOutput(ConsultationOutput):
    current_version = serializers.SerializerMethodField()

    class Meta(ConsultationOutput.Meta):
        fields = [*ConsultationOutput.Meta.fields, "current_version"]
        read_only_fields = fields

    def get_current_version(self, consultation) -> int | None:
        version = selectors.current_version(consultation)
        return version.number if version else None


# Sections and versions --------------------------------------------------------------------


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


# Items ------------------------------------------------------------------------------------


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


# --- Comments, moderation, responses (issue 3: branch comments) ---

# Output is plain data; bodies stay exactly as written and are never marked safe:
# clients escape them like any other text.


def _display_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


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
        return _display_name(obj.responder)

    def get_is_published(self, obj) -> bool:
        return obj.published_at is not None


class CommentOutput(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    organization_name = serializers.SerializerMethodField()
    is_own = serializers.SerializerMethodField()
    moderation_reason = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()

    class Meta:
        model = comment_models.Comment
        fields = [
            "id",
            "consultation",
            "section",
            "item",
            "hearing",
            "parent",
            "stance",
            "body",
            "status",
            "is_removed",
            "author_name",
            "organization",
            "organization_name",
            "is_own",
            "moderation_reason",
            "response",
            "created_at",
            "edited_at",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_author_name(self, obj) -> str:
        return _display_name(obj.author)

    def get_organization_name(self, obj) -> str | None:
        return obj.organization.name if obj.organization_id else None

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
        queryset=comment_models.Consultation.objects.all()
    )
    section = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Section.objects.all(), required=False, allow_null=True
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Item.objects.all(), required=False, allow_null=True
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Comment.objects.all(), required=False, allow_null=True
    )
    hearing = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Hearing.objects.all(), required=False, allow_null=True
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
        queryset=comment_models.Section.objects.all(), required=False, allow_null=True
    )


class ResponseUpdateInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=comment_models.Response.Outcome.choices, required=False
    )
    body = serializers.CharField(trim_whitespace=False, required=False, allow_blank=True)


class ResponsesPublishInput(serializers.Serializer):
    consultation = serializers.PrimaryKeyRelatedField(
        queryset=comment_models.Consultation.objects.all()
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
        return _display_name(obj.actor)


# --- Hearings, agenda, attendance, speakers, manual counts (issue 5: branch hearings) ---
# Imports live in this section so parallel branches merge cleanly.


class HearingSerializer(serializers.ModelSerializer):
    """A hearing as its reader may see it; the display key only for those who run it."""

    agenda = serializers.SerializerMethodField()
    current_agenda_item = serializers.SerializerMethodField()
    voting = serializers.SerializerMethodField()
    display_key = serializers.SerializerMethodField()
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Hearing
        fields = [
            "id",
            "consultation",
            "title",
            "starts_at",
            "location",
            "status",
            "check_in_required",
            "chair_name",
            "screen_mode",
            "started_at",
            "ended_at",
            "agenda",
            "current_agenda_item",
            "voting",
            "display_key",
            "urls",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_agenda(self, hearing) -> list:
        return [selectors.agenda_item_payload(a) for a in hearing.agenda.all()]

    def get_current_agenda_item(self, hearing) -> dict | None:
        return selectors.agenda_item_payload(hearing.current_agenda_item)

    def get_voting(self, hearing) -> dict | None:
        return selectors.voting_payload(hearing)

    def get_display_key(self, hearing) -> str | None:
        if permissions.can_see_display_key(self._user(), hearing):
            return hearing.display_key
        return None

    def get_urls(self, hearing) -> dict:
        urls = {"room": f"/hearings/{hearing.pk}/"}
        if permissions.can_see_display_key(self._user(), hearing):
            urls["screen"] = f"/hearings/{hearing.pk}/screen/?key={hearing.display_key}"
            urls["console"] = f"/hearings/{hearing.pk}/console/"
        return urls


class HearingInput(serializers.Serializer):
    consultation = serializers.PrimaryKeyRelatedField(queryset=Consultation.objects.all())
    title = serializers.CharField(max_length=300)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    check_in_required = serializers.BooleanField(required=False, default=False)
    chair_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HearingUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    starts_at = serializers.DateTimeField(required=False)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    check_in_required = serializers.BooleanField(required=False)
    chair_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    agreements = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class AgendaItemInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    item = serializers.PrimaryKeyRelatedField(
        queryset=Item.objects.all(), required=False, allow_null=True
    )
    position = serializers.IntegerField(min_value=1, required=False)


class AgendaMoveInput(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)


class AdvanceInput(serializers.Serializer):
    agenda_item = serializers.IntegerField(required=False, allow_null=True)


class VotingInput(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())


class CheckInInput(serializers.Serializer):
    token = serializers.CharField(required=False, allow_blank=True, max_length=300)
    organization = serializers.IntegerField(required=False)

    def validate(self, attrs):
        if not attrs.get("token") and not attrs.get("organization"):
            raise serializers.ValidationError(
                {"token": [_("Scan the check-in code, or choose an organization.")]}
            )
        return attrs


class ScreenInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Hearing.Screen.choices)


class ScreenCommentInput(serializers.Serializer):
    comment = serializers.IntegerField()


class SpeakerOrderInput(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), max_length=500)


class FloorInput(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=10, max_value=3600, default=180)


class ManualCountInput(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    method = serializers.ChoiceField(choices=ManualCount.Method.choices)
    counts = serializers.DictField(child=serializers.IntegerField(min_value=0))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class HeartbeatInput(serializers.Serializer):
    key = serializers.CharField(max_length=100)
    screen = serializers.CharField(max_length=64)
    label = serializers.CharField(max_length=120, required=False, allow_blank=True)


class EventsQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=500)
    key = serializers.CharField(required=False, allow_blank=True, max_length=100)

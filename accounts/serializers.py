"""REST input and output shapes of users, tokens, agencies, organizations and memberships."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import permissions
from accounts.models import Agency, Invitation, Membership, Organization, OrganizationChange

User = get_user_model()


class RegisterInput(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=150)
    # UU No. 27/2022: true records agreement to the privacy notice in force (without it the
    # account answers with a Privacy-Notice-Required header until it agrees); showing the
    # name publicly is a separate choice, off by default (docs/PRIVACY.md).
    accept_privacy_notice = serializers.BooleanField(required=False, default=False)
    show_name = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if attrs.pop("accept_privacy_notice", False):
            attrs["privacy_notice_version"] = settings.PRIVACY_NOTICE_VERSION
        return attrs


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only its hash is kept.")
    expiry = serializers.DateTimeField(
        allow_null=True, help_text="When it stops working unless used; each use extends it."
    )


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


class AgencyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AgencyOutput(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "acronym"]
        read_only_fields = fields


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
    """An invitation: the username is not looked up here, so the answer never says whether
    it exists."""

    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


class InvitationSentOutput(serializers.Serializer):
    detail = serializers.CharField()


class MembershipRoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MembershipOutput(serializers.ModelSerializer):
    user = UserBriefOutput()

    class Meta:
        model = Membership
        fields = ["id", "user", "organization", "role", "created_at"]
        read_only_fields = fields


class InvitationOutput(serializers.ModelSerializer):
    """An invitation as its organization's representatives see it."""

    invited_by = serializers.CharField(source="invited_by.username", allow_null=True, default=None)

    class Meta:
        model = Invitation
        fields = ["id", "username", "role", "status", "invited_by", "created_at", "answered_at"]
        read_only_fields = fields


class MyInvitationOutput(serializers.ModelSerializer):
    """An invitation as the invited user sees it."""

    organization = OrganizationBriefOutput()
    invited_by = serializers.CharField(source="invited_by.username", allow_null=True, default=None)

    class Meta:
        model = Invitation
        fields = ["id", "organization", "role", "status", "invited_by", "created_at"]
        read_only_fields = fields


class OrganizationChangeOutput(serializers.ModelSerializer):
    by = serializers.CharField(source="actor_username")
    member = serializers.CharField(source="subject_username")

    class Meta:
        model = OrganizationChange
        fields = ["id", "kind", "by", "member", "role", "detail", "created_at"]
        read_only_fields = fields

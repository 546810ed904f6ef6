"""REST shapes of the person's privacy choices and account closing."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class PrivacyChoiceInput(serializers.Serializer):
    accept_notice_version = serializers.CharField(
        max_length=40,
        required=False,
        help_text="The version of the privacy notice the person agrees to (the current one).",
    )
    show_name = serializers.BooleanField(
        required=False, help_text="Show the person's name publicly (else a pseudonym)."
    )


class PrivacyChoiceOutput(serializers.Serializer):
    show_name = serializers.BooleanField()
    pseudonym = serializers.CharField()
    public_name = serializers.CharField()
    notice_version = serializers.CharField(help_text="The version the person last accepted.")
    notice_accepted_at = serializers.DateTimeField(allow_null=True)
    current_notice_version = serializers.CharField()
    notice_outdated = serializers.BooleanField()


class AccountDeleteInput(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    withdraw_open_comments = serializers.BooleanField(
        required=False,
        default=False,
        help_text=str(_("Also withdraw my comments on consultations that are still open.")),
    )


class ErasureOutput(serializers.Serializer):
    pseudonym = serializers.CharField()
    erased_at = serializers.DateTimeField()
    comments_kept = serializers.IntegerField()
    comments_withdrawn = serializers.IntegerField()

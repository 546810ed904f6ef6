"""The notification's one payload (API list and read answers) and the preferences' shapes."""

from django.conf import settings
from rest_framework import serializers

from notifications.models import Channel, Notification


class NotificationOutput(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "created_at", "read", "title", "url", "data"]
        read_only_fields = fields

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class ReadAllOutput(serializers.Serializer):
    read = serializers.IntegerField(help_text="How many notifications were unread.")


class PreferencesInput(serializers.Serializer):
    channels = serializers.DictField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="kind → channel (in_app, email, digest, off); kinds not named keep theirs.",
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The language of your e-mails.",
    )


class PreferencesOutput(serializers.Serializer):
    language = serializers.CharField()
    channels = serializers.DictField(child=serializers.ChoiceField(choices=Channel.choices))

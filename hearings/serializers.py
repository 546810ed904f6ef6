"""REST input and output shapes of hearings, agenda, check-in, screens, speakers and counts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from consultations.models import Consultation, Item
from hearings import payloads, permissions
from hearings.models import Hearing, ManualCount


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

    def to_representation(self, hearing):
        """The fields a hearing shares with its events are its payload (payloads.hearing)."""
        return {**super().to_representation(hearing), **payloads.hearing(hearing)}

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_agenda(self, hearing) -> list:
        return [payloads.agenda_item(a) for a in hearing.agenda.all()]

    def get_current_agenda_item(self, hearing) -> dict | None:
        return payloads.agenda_item(hearing.current_agenda_item)

    def get_voting(self, hearing) -> dict | None:
        return payloads.voting(hearing)

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


class QuestionMergeInput(serializers.Serializer):
    into = serializers.IntegerField(min_value=1)


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

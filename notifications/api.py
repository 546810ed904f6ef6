"""REST: the signed-in user's own notifications (newest first, by cursor), marking them read,
and the channel per kind (docs/API.md "Notifications")."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated

from accounts.api import DomainViewSet
from backend.converters import IdConverter
from backend.errors import NotFound
from backend.rest import errors
from notifications import selectors, serializers, services
from notifications.models import Notification


class NewestFirst(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")


UNREAD = OpenApiParameter(
    "unread", OpenApiTypes.BOOL, OpenApiParameter.QUERY, description="1: only the unread ones."
)


@extend_schema_view(
    list=extend_schema(
        summary="Your notifications, newest first",
        parameters=[UNREAD],
        responses={200: serializers.NotificationOutput(many=True), **errors(401)},
    )
)
class NotificationViewSet(DomainViewSet):
    lookup_value_regex = IdConverter.regex
    serializer_class = serializers.NotificationOutput
    permission_classes = [IsAuthenticated]
    pagination_class = NewestFirst
    filter_backends = []

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "") in ("1", "true", "yes")
        return selectors.notification_list(self.request.user, unread=unread)

    def get_object(self) -> Notification:
        # Anyone else's notification is a 404, as if it did not exist.
        notification = selectors.notification_list(self.request.user).filter(pk=self.kwargs["pk"])
        found = notification.first()
        if found is None:
            raise NotFound(_("Notification not found."))
        return found

    def list(self, request):
        return self.answer_list(self.get_queryset())

    @extend_schema(
        summary="Mark one notification read",
        request=None,
        responses={200: serializers.NotificationOutput},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_read(
            actor=request.user, notification=self.get_object()
        )
        return self.answer(notification)

    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses={200: serializers.ReadAllOutput},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        count = services.notification_read_all(actor=request.user)
        return self.answer({"read": count}, serializers.ReadAllOutput)

    @extend_schema(
        methods=["get"],
        summary="Your channel for each kind of notification",
        responses={200: serializers.PreferencesOutput, **errors(401)},
    )
    @extend_schema(
        methods=["put"],
        summary="Choose the channel per kind (in_app, email, digest, off) and e-mail language",
        request=serializers.PreferencesInput,
        responses={200: serializers.PreferencesOutput},
    )
    @action(detail=False, methods=["get", "put"])
    def preferences(self, request):
        if request.method == "PUT":
            data = self.parse(serializers.PreferencesInput)
            services.preferences_set(
                actor=request.user,
                channels=data.get("channels"),
                language=data.get("language"),
            )
        answer = {
            "language": selectors.language_of(request.user),
            "channels": selectors.channels_of(request.user),
        }
        return self.answer(answer, serializers.PreferencesOutput)

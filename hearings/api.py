"""REST: hearings and their actions (start, advance, end, check-in, screens, speakers, counts,
events); voting/api.py adds the live voting window's open-voting and close-voting."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from accounts import permissions as accounts_permissions
from accounts.authentication import MemberTokenAuthentication
from accounts.models import Organization
from backend.errors import Invalid, NotAllowed
from comments import selectors as comments_selectors
from comments.models import Comment
from consultations import permissions as consultations_permissions
from hearings import permissions, selectors, serializers, services
from hearings.models import AgendaItem, Hearing, SpeakerRequest
from realtime import events


class SignedInToChange(BasePermission):
    """Reads are public (visibility filtered per hearing); changes need a signed-in user.

    Screens post heartbeats and read events with their display key instead of a login.
    """

    KEY_ACTIONS = {"screens", "events"}

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.action in self.KEY_ACTIONS:
            return True
        return accounts_permissions.is_authenticated(request.user)


def _parse(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class HearingActions(viewsets.GenericViewSet):
    """What every hearing action shares: who may call, which hearings exist for the caller,
    and the answer (the hearing as it is after the action). Voting's live-window actions
    (voting/api.py) build on it too."""

    serializer_class = serializers.HearingSerializer
    # Token first, as in DomainViewSet: an anonymous change answers 401, not 403.
    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]
    permission_classes = [SignedInToChange]

    def handle_exception(self, exc):
        # A wrong display key stays 403: a screen does not sign in.
        if (
            isinstance(exc, NotAllowed)
            and self.action not in SignedInToChange.KEY_ACTIONS
            and not accounts_permissions.is_authenticated(self.request.user)
        ):
            exc = NotAuthenticated()
        return super().handle_exception(exc)

    def get_queryset(self):
        qs = selectors.hearings_visible_to(self.request.user).prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "id"))
        )
        params = self.request.query_params
        if params.get("consultation"):
            try:
                qs = qs.filter(consultation_id=int(params["consultation"]))
            except ValueError as exc:
                raise Invalid(_("consultation must be a number."), field="consultation") from exc
        if params.get("status"):
            if params["status"] not in Hearing.Status.values:
                raise Invalid(_("Unknown status."), field="status")
            qs = qs.filter(status=params["status"])
        return qs

    def _answer(self, hearing, code=status.HTTP_200_OK):
        hearing = self.get_queryset().get(pk=hearing.pk)
        return Response(self.get_serializer(hearing).data, status=code)


class HearingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HearingActions):
    """Hearings: schedule, run live (start/advance/end), check in, screen, speakers."""

    def create(self, request):
        data = _parse(serializers.HearingInput, request.data)
        if not consultations_permissions.can_view_consultation(request.user, data["consultation"]):
            raise Invalid(_("Unknown consultation."), field="consultation")
        hearing = services.hearing_create(actor=request.user, **data)
        return self._answer(hearing, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        data = _parse(serializers.HearingUpdateInput, request.data)
        hearing = services.hearing_update(actor=request.user, hearing=self.get_object(), **data)
        return self._answer(hearing)

    # --- the live session ---

    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.hearing_start(actor=request.user, hearing=self.get_object()))

    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        hearing = self.get_object()
        data = _parse(serializers.AdvanceInput, request.data)
        agenda_item = None
        if data.get("agenda_item"):
            agenda_item = AgendaItem.objects.filter(pk=data["agenda_item"]).first()
            if agenda_item is None:
                raise Invalid(_("Unknown agenda item."), field="agenda_item")
        hearing = services.hearing_advance(
            actor=request.user, hearing=hearing, agenda_item=agenda_item
        )
        return self._answer(hearing)

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._answer(services.hearing_end(actor=request.user, hearing=self.get_object()))

    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        hearing = self.get_object()
        data = _parse(serializers.CheckInInput, request.data)
        organization = None
        if data.get("organization"):
            organization = Organization.objects.filter(pk=data["organization"]).first()
            if organization is None:
                raise Invalid(_("Unknown organization."), field="organization")
        attendance = services.attendance_check_in(
            actor=request.user,
            hearing=hearing,
            token=data.get("token", ""),
            organization=organization,
        )
        return Response(
            {
                "hearing": hearing.pk,
                "organization": {
                    "id": attendance.organization_id,
                    "name": attendance.organization.name,
                },
                "method": attendance.method,
                "checked_in_at": attendance.checked_in_at,
            }
        )

    @action(detail=True, methods=["post"], url_path="rotate-key")
    def rotate_key(self, request, pk=None):
        return self._answer(
            services.display_key_rotate(actor=request.user, hearing=self.get_object())
        )

    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        data = _parse(serializers.ScreenInput, request.data)
        hearing = services.screen_set_mode(
            actor=request.user, hearing=self.get_object(), mode=data["mode"]
        )
        return self._answer(hearing)

    @action(detail=True, methods=["post"], url_path="screen-comments")
    def screen_comments(self, request, pk=None):
        """Put a hearing comment on the big screen (`DELETE …/screen-comments/{id}/` hides it)."""
        comment = self._hearing_comment(request.data.get("comment"))
        comment = services.comment_show_on_screen(actor=request.user, comment=comment)
        return Response(comments_selectors.comment_payload(comment))

    @action(
        detail=True,
        methods=["delete"],
        url_path=r"screen-comments/(?P<comment_id>\d+)",
        url_name="screen-comment",
    )
    def screen_comment(self, request, pk=None, comment_id=None):
        comment = services.comment_hide_from_screen(
            actor=request.user, comment=self._hearing_comment(comment_id)
        )
        return Response(comments_selectors.comment_payload(comment))

    def _hearing_comment(self, comment_id):
        hearing = self.get_object()
        data = _parse(serializers.ScreenCommentInput, {"comment": comment_id})
        comment = Comment.objects.filter(pk=data["comment"], hearing=hearing).first()
        if comment is None:
            raise NotFound(_("This hearing has no such comment."))
        return comment

    # --- agenda ---

    @action(detail=True, methods=["get", "post"])
    def agenda(self, request, pk=None):
        hearing = self.get_object()
        if request.method == "POST":
            data = _parse(serializers.AgendaItemInput, request.data)
            agenda_item = services.agenda_item_add(actor=request.user, hearing=hearing, **data)
            return Response(
                selectors.agenda_item_payload(agenda_item), status=status.HTTP_201_CREATED
            )
        return Response(selectors.agenda_payload(hearing))

    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"agenda/(?P<agenda_id>\d+)",
        url_name="agenda-item",
    )
    def agenda_item(self, request, pk=None, agenda_id=None):
        hearing = self.get_object()
        agenda_item = get_object_or_404(AgendaItem, pk=agenda_id, hearing=hearing)
        if request.method == "DELETE":
            services.agenda_item_remove(actor=request.user, agenda_item=agenda_item)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _parse(serializers.AgendaMoveInput, request.data)
        agenda_item = services.agenda_item_move(
            actor=request.user, agenda_item=agenda_item, position=data["position"]
        )
        return Response(selectors.agenda_item_payload(agenda_item))

    # --- speakers ---

    @action(detail=True, methods=["get", "post"])
    def speakers(self, request, pk=None):
        """GET the queue; POST asks for the floor on behalf of the caller's organization."""
        hearing = self.get_object()
        if request.method == "POST":
            speaker = services.speaker_request(actor=request.user, hearing=hearing)
            return Response(selectors.speaker_payload(speaker), status=status.HTTP_201_CREATED)
        return Response(selectors.speakers_payload(hearing))

    @action(detail=True, methods=["post"], url_path="speakers/order")
    def speakers_order(self, request, pk=None):
        data = _parse(serializers.SpeakerOrderInput, request.data)
        hearing = services.speaker_reorder(
            actor=request.user, hearing=self.get_object(), order=data["order"]
        )
        return Response(selectors.speakers_payload(hearing))

    @extend_schema(operation_id="v1_hearings_speaker_action")
    @action(
        detail=True,
        methods=["post"],
        url_path=r"speakers/(?P<speaker_id>\d+)/(?P<verb>withdraw|floor|done)",
        url_name="speaker-action",
    )
    def speaker_action(self, request, pk=None, speaker_id=None, verb=None):
        hearing = self.get_object()
        speaker = get_object_or_404(SpeakerRequest, pk=speaker_id, hearing=hearing)
        if verb == "withdraw":
            speaker = services.speaker_withdraw(actor=request.user, speaker_request=speaker)
        elif verb == "floor":
            data = _parse(serializers.FloorInput, request.data)
            speaker = services.speaker_give_floor(
                actor=request.user, speaker_request=speaker, seconds=data["seconds"]
            )
        else:
            speaker = services.speaker_done(actor=request.user, speaker_request=speaker)
        return Response(selectors.speaker_payload(speaker))

    # --- manual counts ---

    @action(detail=True, methods=["get", "post"], url_path="manual-counts")
    def manual_counts(self, request, pk=None):
        hearing = self.get_object()
        if request.method == "POST":
            data = _parse(serializers.ManualCountInput, request.data)
            count = services.manual_count_enter(actor=request.user, hearing=hearing, **data)
            return Response(selectors.manual_count_payload(count), status=status.HTTP_201_CREATED)
        return Response(
            [selectors.manual_count_payload(c) for c in selectors.manual_counts_of(hearing)]
        )

    # --- screens and replay (display key or a reader of the hearing) ---

    def _hearing_for_key_or_reader(self, key: str):
        hearing = get_object_or_404(
            Hearing.objects.select_related("consultation"), pk=self.kwargs["pk"]
        )
        if key:
            if not permissions.can_use_display_key(hearing, key):
                raise NotAllowed(_("This screen's display key is not valid (any more)."))
            return hearing
        if not permissions.can_view_hearing(self.request.user, hearing):
            raise NotFound(_("No such hearing."))
        return hearing

    @action(detail=True, methods=["get", "post"])
    def screens(self, request, pk=None):
        """POST: a big screen's heartbeat (with its key); GET: connected screens, for the chair."""
        if request.method == "POST":
            data = _parse(serializers.HeartbeatInput, request.data)
            hearing = self._hearing_for_key_or_reader(data["key"])
            beat = services.screen_heartbeat(actor=request.user, hearing=hearing, **data)
            return Response(beat)
        hearing = self.get_object()
        if not permissions.can_run_hearing(request.user, hearing):
            raise NotAllowed(_("Only officials and moderators see the connected screens."))
        return Response(selectors.connected_screens(hearing))

    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """Replay over HTTP for clients without WebSocket: `?after=<last seen seq>`."""
        query = _parse(serializers.EventsQuery, request.query_params)
        hearing = self._hearing_for_key_or_reader(query.get("key", ""))
        page = events.events_after(hearing.stream, query["after"], limit=query["limit"])
        last_seq = events.current_seq(hearing.stream)
        next_after = page[-1]["seq"] if page else query["after"]
        return Response(
            {
                "stream": hearing.stream,
                "after": query["after"],
                "events": page,
                "next": next_after,
                "last_seq": last_seq,
                "has_more": next_after < last_seq,
            }
        )

"""REST: hearings and their actions (start, advance, end, check-in, screens, speakers, counts,
events); voting/api.py adds the live voting window's open-voting and close-voting."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
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
from backend.filters import parse_id
from backend.rest import errors
from comments import payloads as comment_payloads
from comments.models import Comment
from consultations import permissions as consultations_permissions
from hearings import payloads, permissions, questions, selectors, serializers, services
from hearings import speakers as speaker_queue
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


def _payload(description: str, *, many: bool = False) -> OpenApiResponse:
    """An answer built by hearings/payloads.py (the same shape as the event's `data`)."""
    schema = {"type": "object"}
    return OpenApiResponse({"type": "array", "items": schema} if many else schema, description)


def _path_id(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH)


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
            qs = qs.filter(consultation_id=parse_id(params["consultation"], field="consultation"))
        if params.get("status"):
            if params["status"] not in Hearing.Status.values:
                raise Invalid(_("Unknown status."), field="status")
            qs = qs.filter(status=params["status"])
        return qs

    def _answer(self, hearing, code=status.HTTP_200_OK):
        hearing = self.get_queryset().get(pk=hearing.pk)
        return Response(self.get_serializer(hearing).data, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="List hearings",
        parameters=[
            OpenApiParameter("consultation", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Hearing.Status.values),
        ],
    ),
    retrieve=extend_schema(summary="Read a hearing"),
)
class HearingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HearingActions):
    """Hearings: schedule, run live (start/advance/end), check in, screen, speakers."""

    @extend_schema(
        summary="Schedule a hearing",
        request=serializers.HearingInput,
        responses={201: serializers.HearingSerializer},
    )
    def create(self, request):
        data = _parse(serializers.HearingInput, request.data)
        if not consultations_permissions.can_view_consultation(request.user, data["consultation"]):
            raise Invalid(_("Unknown consultation."), field="consultation")
        hearing = services.hearing_create(actor=request.user, **data)
        return self._answer(hearing, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update a hearing",
        request=serializers.HearingUpdateInput,
        responses={200: serializers.HearingSerializer},
    )
    def partial_update(self, request, pk=None):
        data = _parse(serializers.HearingUpdateInput, request.data)
        hearing = services.hearing_update(actor=request.user, hearing=self.get_object(), **data)
        return self._answer(hearing)

    # --- the live session ---

    @extend_schema(summary="Start the hearing (it goes live)", request=None)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.hearing_start(actor=request.user, hearing=self.get_object()))

    @extend_schema(
        summary="Move to the next agenda item, or to the one given",
        request=serializers.AdvanceInput,
    )
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

    @extend_schema(summary="End the hearing", request=None)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._answer(services.hearing_end(actor=request.user, hearing=self.get_object()))

    @extend_schema(
        summary="Check an organization in (its QR token, or chosen by the chair)",
        request=serializers.CheckInInput,
        responses={200: _payload("The attendance: hearing, organization, method, checked_in_at.")},
    )
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
        return Response(payloads.check_in(attendance))

    @extend_schema(summary="Give the big screens a new display key", request=None)
    @action(detail=True, methods=["post"], url_path="rotate-key")
    def rotate_key(self, request, pk=None):
        return self._answer(
            services.display_key_rotate(actor=request.user, hearing=self.get_object())
        )

    @extend_schema(summary="Set what the big screen shows", request=serializers.ScreenInput)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        data = _parse(serializers.ScreenInput, request.data)
        hearing = services.screen_set_mode(
            actor=request.user, hearing=self.get_object(), mode=data["mode"]
        )
        return self._answer(hearing)

    @extend_schema(
        summary="Show a hearing comment on the big screen",
        request=serializers.ScreenCommentInput,
        responses={200: _payload("The comment.")},
    )
    @action(detail=True, methods=["post"], url_path="screen-comments")
    def screen_comments(self, request, pk=None):
        """Put a hearing comment on the big screen (`DELETE …/screen-comments/{id}/` hides it)."""
        # A JSON array or scalar has no "comment": a 400 like a missing one, not a 500.
        body = request.data if isinstance(request.data, dict) else {}
        comment = self._hearing_comment(body.get("comment"))
        comment = services.comment_show_on_screen(actor=request.user, comment=comment)
        return Response(comment_payloads.comment(comment))

    @extend_schema(
        summary="Take a comment off the big screen",
        parameters=[_path_id("comment_id")],
        request=None,
        responses={200: _payload("The comment.")},
    )
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
        return Response(comment_payloads.comment(comment))

    def _hearing_comment(self, comment_id):
        hearing = self.get_object()
        data = _parse(serializers.ScreenCommentInput, {"comment": comment_id})
        comment = Comment.objects.filter(pk=data["comment"], hearing=hearing).first()
        if comment is None:
            raise NotFound(_("This hearing has no such comment."))
        return comment

    # --- agenda ---

    @extend_schema(
        methods=["get"],
        summary="The agenda and its current item",
        responses={200: _payload("The agenda: hearing, agenda, current, current_item.")},
    )
    @extend_schema(
        methods=["post"],
        summary="Add an agenda item",
        request=serializers.AgendaItemInput,
        responses={201: _payload("The agenda item.")},
    )
    @action(detail=True, methods=["get", "post"])
    def agenda(self, request, pk=None):
        hearing = self.get_object()
        if request.method == "POST":
            data = _parse(serializers.AgendaItemInput, request.data)
            agenda_item = services.agenda_item_add(actor=request.user, hearing=hearing, **data)
            return Response(payloads.agenda_item(agenda_item), status=status.HTTP_201_CREATED)
        return Response(payloads.agenda(hearing))

    @extend_schema(
        methods=["patch"],
        summary="Move an agenda item to another position",
        parameters=[_path_id("agenda_id")],
        request=serializers.AgendaMoveInput,
        responses={200: _payload("The agenda item.")},
    )
    @extend_schema(
        methods=["delete"],
        summary="Remove an agenda item",
        parameters=[_path_id("agenda_id")],
        responses={204: None},
    )
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
        return Response(payloads.agenda_item(agenda_item))

    # --- speakers ---

    @extend_schema(
        methods=["get"],
        summary="The speaker queue",
        responses={200: _payload("The queue: hearing, queue, speaking.")},
    )
    @extend_schema(
        methods=["post"],
        summary="Ask for the floor for the caller's organization",
        request=None,
        responses={201: _payload("The speaker request.")},
    )
    @action(detail=True, methods=["get", "post"])
    def speakers(self, request, pk=None):
        """GET the queue; POST asks for the floor on behalf of the caller's organization."""
        hearing = self.get_object()
        if request.method == "POST":
            speaker = speaker_queue.speaker_request(actor=request.user, hearing=hearing)
            return Response(payloads.speaker(speaker), status=status.HTTP_201_CREATED)
        return Response(payloads.speakers(hearing))

    @extend_schema(
        summary="Reorder the speaker queue",
        request=serializers.SpeakerOrderInput,
        responses={200: _payload("The queue: hearing, queue, speaking.")},
    )
    @action(detail=True, methods=["post"], url_path="speakers/order")
    def speakers_order(self, request, pk=None):
        data = _parse(serializers.SpeakerOrderInput, request.data)
        hearing = speaker_queue.speaker_reorder(
            actor=request.user, hearing=self.get_object(), order=data["order"]
        )
        return Response(payloads.speakers(hearing))

    @extend_schema(
        operation_id="v1_hearings_speaker_action",
        summary="Withdraw a speaker request, give it the floor, or end its turn",
        description="Only `floor` reads a body (`seconds`, default 180); "
        "`withdraw` and `done` ignore it.",
        parameters=[
            _path_id("speaker_id"),
            OpenApiParameter(
                "verb", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["withdraw", "floor", "done"]
            ),
        ],
        request=serializers.FloorInput,
        responses={200: _payload("The speaker request.")},
    )
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
            speaker = speaker_queue.speaker_withdraw(actor=request.user, speaker_request=speaker)
        elif verb == "floor":
            data = _parse(serializers.FloorInput, request.data)
            speaker = speaker_queue.speaker_give_floor(
                actor=request.user, speaker_request=speaker, seconds=data["seconds"]
            )
        else:
            speaker = speaker_queue.speaker_done(actor=request.user, speaker_request=speaker)
        return Response(payloads.speaker(speaker))

    # --- manual counts ---

    @extend_schema(
        methods=["get"],
        summary="The manual counts entered in this hearing",
        responses={200: _payload("The manual counts.", many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="Enter a manual count (show of hands, cards)",
        request=serializers.ManualCountInput,
        responses={201: _payload("The manual count.")},
    )
    @action(detail=True, methods=["get", "post"], url_path="manual-counts")
    def manual_counts(self, request, pk=None):
        hearing = self.get_object()
        if request.method == "POST":
            data = _parse(serializers.ManualCountInput, request.data)
            count = services.manual_count_enter(actor=request.user, hearing=hearing, **data)
            return Response(payloads.manual_count(count), status=status.HTTP_201_CREATED)
        return Response([payloads.manual_count(c) for c in selectors.manual_counts_of(hearing)])

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

    @extend_schema(
        methods=["get"],
        summary="The connected big screens (for the chair)",
        responses={200: _payload("The screens seen lately.", many=True), **errors(403)},
    )
    @extend_schema(
        methods=["post"],
        summary="A big screen's heartbeat, with its display key",
        description="409 when the hearing already lists RUANG_SCREENS_PER_HEARING screens.",
        request=serializers.HeartbeatInput,
        responses={200: _payload("The heartbeat as recorded."), **errors(403, 409)},
    )
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

    @extend_schema(
        summary="Replay the hearing's events after a sequence number",
        parameters=[serializers.EventsQuery],
        responses={
            200: _payload("stream, after, events, next, last_seq, has_more."),
            **errors(403),
        },
    )
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


# --- the room's questions (hearings/questions.py) ---


def _question(comment_id) -> Comment:
    """The comment named in the path; whether it is an open question is the service's."""
    comment = Comment.objects.select_related("hearing").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("Question not found."))
    return comment


class QuestionUpvoteViewSet(HearingActions):
    """`PUT`/`DELETE /api/v1/comments/{id}/upvote/`: registered on the comments prefix beside
    comments' own viewset (only this path, so the two never meet)."""

    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="Upvote a question of the hearing room (DELETE takes the upvote back)",
        description=(
            "Once per person and question; again changes nothing. 409 for your own question, "
            "a question not published (pending, hidden), merged, or a comment that is no "
            "question; 404 when there is no such comment for you."
        ),
        request=None,
        responses={200: _payload("The question's state: id, hearing, upvotes, …")},
    )
    @action(detail=True, methods=["put", "delete"])
    def upvote(self, request, pk=None):
        service = (
            questions.question_upvote if request.method == "PUT" else questions.question_unupvote
        )
        comment = service(actor=request.user, comment=_question(pk))
        return Response(payloads.question_state(comment))


class HearingQuestionViewSet(HearingActions):
    """The chair's actions on a question: answered (or not), on or off the big screen, merged
    into another question (`{"into": id}`). Under hearings/{id}/questions/{comment_id}/."""

    @extend_schema(
        summary="Mark a question answered, show it on the screen, or merge it",
        parameters=[
            _path_id("comment_id"),
            OpenApiParameter(
                "verb",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=["answered", "unanswered", "screen", "unscreen", "merge"],
            ),
        ],
        request=serializers.QuestionMergeInput,
        responses={200: _payload("The question's state (for merge: the question merged into).")},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"questions/(?P<comment_id>\d+)/(?P<verb>answered|unanswered|screen|unscreen|merge)",
        url_name="question-action",
    )
    def question_action(self, request, pk=None, comment_id=None, verb=None):
        hearing = self.get_object()
        comment = _question(comment_id)
        if comment.hearing_id != hearing.pk:
            raise NotFound(_("Question not found."))
        actor = request.user
        if verb in ("answered", "unanswered"):
            comment = questions.question_mark_answered(
                actor=actor, comment=comment, answered=verb == "answered"
            )
        elif verb == "screen":
            comment = questions.question_show_on_screen(actor=actor, comment=comment)
        elif verb == "unscreen":
            comment = questions.question_take_off_screen(actor=actor, comment=comment)
        else:
            data = _parse(serializers.QuestionMergeInput, request.data)
            comment = questions.question_merge(
                actor=actor, comment=comment, into=_question(data["into"])
            )
        return Response(payloads.question_state(comment))

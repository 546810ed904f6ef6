"""REST: comments (+ report, approve, hide, restore, reject, respond), moderation log, responses."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.api import DomainViewSet
from backend.errors import NotAllowed
from backend.filters import parse_id
from backend.pagination import CreatedCursorPagination
from backend.rest import errors
from comments import models as comment_models
from comments import moderation, permissions, responses, selectors, serializers, services
from comments.filters import CommentFilter
from consultations import selectors as consultations_selectors


@extend_schema_view(
    list=extend_schema(summary="List and search comments"),
    retrieve=extend_schema(summary="Read a comment"),
)
class CommentViewSet(DomainViewSet):
    """Comments: list/filter/search, post, edit, delete, report, moderate, respond.

    Every read goes through selectors.comments_visible_to, so pending, hidden and
    rejected comments of others never reach a non-moderator (404, as if absent).
    """

    serializer_class = serializers.CommentOutput
    pagination_class = CreatedCursorPagination
    filterset_class = CommentFilter
    filter_backends = [DjangoFilterBackend]
    queryset = comment_models.Comment.objects.none()  # for the schema; reads use get_queryset

    def get_queryset(self):
        return selectors.comment_list(self.request.user)

    def _change(self, apply, code=status.HTTP_200_OK):
        """Run the service and read the answer back in one transaction: if the read fails
        (the database went away after the write), the write is rolled back with it, so a
        503 never hides a saved change (tests/faults/test_database_drop.py). Only for
        services whose side effects are all in the database (not comment_create)."""
        with transaction.atomic():
            comment = apply()
            return self.answer(self.get_queryset().get(pk=comment.pk), code=code)

    def list(self, request, *args, **kwargs):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    @extend_schema(
        summary="Post a comment (or a reply)",
        request=serializers.CommentCreateInput,
        responses={201: serializers.CommentOutput, **errors(429)},
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(serializers.CommentCreateInput)
        # The service reads its answer back inside its own transaction; an outer one here
        # would keep its double-submit claim after a rollback and refuse the retry.
        comment = services.comment_create(actor=request.user, **data)
        return self.answer(comment, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a comment (within the edit window)",
        request=serializers.CommentEditInput,
        responses={200: serializers.CommentOutput},
    )
    def update(self, request, *args, **kwargs):
        comment = self.get_object()
        data = self.parse(serializers.CommentEditInput)
        return self._change(
            lambda: services.comment_edit(actor=request.user, comment=comment, **data)
        )

    @extend_schema(
        summary="Edit a comment (same as PUT)",
        request=serializers.CommentEditInput,
        responses={200: serializers.CommentOutput},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(summary="Delete one's own comment", request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        services.comment_delete(actor=request.user, comment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Report a comment to the moderators",
        request=serializers.ReasonInput,
        responses={201: serializers.CommentReportOutput},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Answers the report, not the comment: the report may have hidden it from the
        reporter (trusted flagger, or the last of N organizations)."""
        comment = self.get_object()
        data = self.parse(serializers.ReasonInput)
        report = moderation.comment_report(
            actor=request.user, comment=comment, reason=data.get("reason")
        )
        return self.answer(report, serializers.CommentReportOutput, code=status.HTTP_201_CREATED)

    def _moderate(self, service):
        comment = self.get_object()
        data = self.parse(serializers.ReasonInput)
        return self._change(
            lambda: service(actor=self.request.user, comment=comment, reason=data.get("reason", ""))
        )

    @extend_schema(
        summary="Approve a pending comment (moderators)",
        request=serializers.ReasonInput,
        responses={200: serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._moderate(moderation.comment_approve)

    @extend_schema(
        summary="Hide a comment, with a reason (moderators)",
        request=serializers.ReasonInput,
        responses={200: serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        return self._moderate(moderation.comment_hide)

    @extend_schema(
        summary="Restore a hidden comment (moderators)",
        request=serializers.ReasonInput,
        responses={200: serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._moderate(moderation.comment_restore)

    @extend_schema(
        summary="Reject a pending comment, with a reason (moderators)",
        request=serializers.ReasonInput,
        responses={200: serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._moderate(moderation.comment_reject)

    @extend_schema(
        summary="Respond to a comment (tanggapan); again edits the response",
        request=serializers.RespondInput,
        responses={
            200: serializers.CommentOutput,
            201: serializers.CommentOutput,
        },
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Answer the comment; answering again edits the existing response."""
        comment = self.get_object()
        data = self.parse(serializers.RespondInput)
        created = False

        def respond():
            nonlocal created
            _response, created = responses.comment_respond(
                actor=request.user, comment=comment, **data
            )
            return comment

        answer = self._change(respond)
        if created:
            answer.status_code = status.HTTP_201_CREATED
        return answer

    @extend_schema(
        summary="A comment's moderation log (moderators, officials)",
        filters=False,
        responses={200: serializers.ModerationActionOutput(many=True), **errors(403)},
    )
    @action(detail=True, methods=["get"], url_path="moderation-log", pagination_class=None)
    def moderation_log(self, request, pk=None):
        comment = self.get_object()
        if not permissions.can_see_moderation_log(request.user):
            raise NotAllowed(_("Only moderators and officials see the moderation log."))
        actions = selectors.moderation_log(comment=comment)
        return Response(serializers.ModerationActionOutput(actions, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="List and search one consultation's comments",
        parameters=[OpenApiParameter("consultation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
)
class ConsultationCommentViewSet(DomainViewSet):
    """GET consultations/{id}/comments/: the comment list, scoped to one visible consultation."""

    serializer_class = serializers.CommentOutput
    pagination_class = CreatedCursorPagination
    filterset_class = CommentFilter
    filter_backends = [DjangoFilterBackend]
    queryset = comment_models.Comment.objects.none()

    def get_queryset(self):
        consultation = get_object_or_404(
            consultations_selectors.consultations_visible_to(self.request.user),
            pk=self.kwargs["consultation_pk"],
        )
        return selectors.comment_list(
            self.request.user, comment_models.Comment.objects.filter(consultation=consultation)
        )

    def list(self, request, *args, **kwargs):
        return self.answer_list(self.filter_queryset(self.get_queryset()))


@extend_schema_view(
    list=extend_schema(
        summary="The moderation log (moderators, officials)",
        parameters=[OpenApiParameter("consultation", OpenApiTypes.INT)],
        responses={200: serializers.ModerationActionOutput(many=True), **errors(401, 403)},
    )
)
class ModerationActionViewSet(DomainViewSet, mixins.ListModelMixin):
    """The moderation log (who, when, what, why) for moderators and officials."""

    serializer_class = serializers.ModerationActionOutput
    pagination_class = CreatedCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["comment", "action"]
    queryset = comment_models.ModerationAction.objects.none()

    def get_queryset(self):
        if not permissions.can_see_moderation_log(self.request.user):
            raise NotAllowed(_("Only moderators and officials see the moderation log."))
        consultation = self.request.query_params.get("consultation")
        qs = selectors.moderation_log()
        if consultation:
            qs = qs.filter(comment__consultation_id=parse_id(consultation, field="consultation"))
        return qs


@extend_schema_view(
    list=extend_schema(summary="List responses (tanggapan)"),
    retrieve=extend_schema(summary="Read a response"),
)
class ResponseViewSet(DomainViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Tanggapan: answers to comments or sections; drafts are internal until published."""

    serializer_class = serializers.CommentResponseOutput
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["consultation", "section", "comment", "outcome"]
    queryset = comment_models.Response.objects.none()

    def get_queryset(self):
        user = self.request.user
        visible_comments = selectors.comments_visible_to(user).values("pk")
        return (
            selectors.responses_visible_to(user)
            .filter(
                Q(comment__isnull=True) | Q(comment__in=visible_comments),
                consultation__in=consultations_selectors.consultations_visible_to(user).values(
                    "pk"
                ),
            )
            .select_related("responder")
            .order_by("created_at", "id")
        )

    @extend_schema(
        summary="Draft a response to a comment or a section",
        request=serializers.ResponseCreateInput,
        responses={201: serializers.CommentResponseOutput},
    )
    def create(self, request):
        data = self.parse(serializers.ResponseCreateInput)
        response = responses.response_create(actor=request.user, **data)
        return self.answer(response, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update a response",
        request=serializers.ResponseUpdateInput,
        responses={200: serializers.CommentResponseOutput},
    )
    def partial_update(self, request, pk=None):
        response = self.get_object()
        data = self.parse(serializers.ResponseUpdateInput)
        response = responses.response_update(actor=request.user, response=response, **data)
        return self.answer(response)

    @extend_schema(
        summary="Update a response (same as PATCH)",
        request=serializers.ResponseUpdateInput,
        responses={200: serializers.CommentResponseOutput},
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(
        summary="Publish every drafted response of a consultation",
        request=serializers.ResponsesPublishInput,
        responses={200: serializers.ResponsesPublishedOutput},
    )
    @action(detail=False, methods=["post"])
    def publish(self, request):
        """Publish every drafted response of one consultation at once."""
        data = self.parse(serializers.ResponsesPublishInput)
        count = responses.responses_publish(actor=request.user, consultation=data["consultation"])
        return Response({"consultation": data["consultation"].pk, "published": count})


@extend_schema_view(
    list=extend_schema(
        summary="Trusted flaggers (moderators)",
        responses={200: serializers.TrustedFlaggerOutput(many=True), **errors(401, 403)},
    )
)
class TrustedFlaggerViewSet(DomainViewSet, mixins.ListModelMixin):
    """Users and verified organizations a moderator named: one report of theirs hides a
    comment pending review (docs/MODERATION.md)."""

    serializer_class = serializers.TrustedFlaggerOutput
    filter_backends = []
    queryset = comment_models.TrustedFlagger.objects.none()

    def get_queryset(self):
        if not permissions.can_name_trusted_flaggers(self.request.user):
            raise NotAllowed(_("Only moderators see the trusted flaggers."))
        return selectors.trusted_flaggers()

    @extend_schema(
        summary="Name a trusted flagger: a user or a verified organization (moderators)",
        request=serializers.TrustedFlaggerInput,
        responses={201: serializers.TrustedFlaggerOutput},
    )
    def create(self, request):
        data = self.parse(serializers.TrustedFlaggerInput)
        flagger = moderation.trusted_flagger_name(actor=request.user, **data)
        return self.answer(flagger, code=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a trusted flagger (moderators)", responses={204: None})
    def destroy(self, request, pk=None):
        flagger = get_object_or_404(self.get_queryset(), pk=pk)
        moderation.trusted_flagger_remove(actor=request.user, flagger=flagger)
        return Response(status=status.HTTP_204_NO_CONTENT)

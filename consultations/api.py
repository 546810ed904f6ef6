from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.errors import NotAllowed
from backend.pagination import CreatedCursorPagination
from consultations import models as comment_models
from consultations import permissions, selectors, services
from consultations import serializers as comment_serializers
from consultations.filters import CommentFilter

# --- Agencies, organizations, consultations, sections, items (issue 2: branch api) ---


# --- Comments, moderation, responses (issue 3: branch comments) ---


class CommentViewSet(viewsets.GenericViewSet):
    """Comments: list/filter/search, post, edit, delete, report, moderate, respond.

    Every read goes through selectors.comments_visible_to, so pending, hidden and
    rejected comments of others never reach a non-moderator.
    """

    serializer_class = comment_serializers.CommentOutput
    pagination_class = CreatedCursorPagination
    filterset_class = CommentFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.comment_list(self.request.user)

    def get_serializer_class(self):
        return {
            "create": comment_serializers.CommentCreateInput,
            "update": comment_serializers.CommentEditInput,
            "partial_update": comment_serializers.CommentEditInput,
            "report": comment_serializers.ReasonInput,
            "approve": comment_serializers.ReasonInput,
            "hide": comment_serializers.ReasonInput,
            "restore": comment_serializers.ReasonInput,
            "reject": comment_serializers.ReasonInput,
            "respond": comment_serializers.RespondInput,
        }.get(self.action, comment_serializers.CommentOutput)

    def _output(self, comment, status_code=200):
        comment = self.get_queryset().get(pk=comment.pk)
        data = comment_serializers.CommentOutput(comment, context={"request": self.request}).data
        return Response(data, status=status_code)

    def _input(self, serializer_class=None):
        serializer = (serializer_class or self.get_serializer_class())(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = comment_serializers.CommentOutput(page, many=True, context={"request": request})
        return self.get_paginated_response(data.data)

    def retrieve(self, request, *args, **kwargs):
        comment = self.get_object()
        return Response(
            comment_serializers.CommentOutput(comment, context={"request": request}).data
        )

    def create(self, request, *args, **kwargs):
        data = self._input()
        comment = services.comment_create(actor=request.user, **data)
        return self._output(comment, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        comment = self.get_object()
        data = self._input()
        comment = services.comment_edit(actor=request.user, comment=comment, **data)
        return self._output(comment)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        comment = self.get_object()
        services.comment_delete(actor=request.user, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        comment = self.get_object()
        data = self._input()
        services.comment_report(actor=request.user, comment=comment, reason=data.get("reason"))
        return self._output(comment, status.HTTP_201_CREATED)

    def _moderate(self, service):
        comment = self.get_object()
        data = self._input()
        comment = service(actor=self.request.user, comment=comment, reason=data.get("reason", ""))
        return self._output(comment)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._moderate(services.comment_approve)

    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        return self._moderate(services.comment_hide)

    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._moderate(services.comment_restore)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._moderate(services.comment_reject)

    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Answer the comment; answering again edits the existing response."""
        comment = self.get_object()
        data = self._input()
        existing = comment_models.Response.objects.filter(comment=comment).first()
        if existing is None:
            services.response_create(actor=request.user, comment=comment, **data)
            code = status.HTTP_201_CREATED
        else:
            services.response_update(
                actor=request.user, response=existing, outcome=data["outcome"], body=data["body"]
            )
            if data.get("publish") and existing.published_at is None:
                services.response_publish(actor=request.user, response=existing)
            code = status.HTTP_200_OK
        return self._output(comment, code)

    @action(detail=True, methods=["get"], url_path="moderation-log")
    def moderation_log(self, request, pk=None):
        comment = self.get_object()
        if not permissions.can_see_moderation_log(request.user):
            raise NotAllowed(_("Only moderators and officials see the moderation log."))
        actions = selectors.moderation_log(comment=comment)
        return Response(comment_serializers.ModerationActionOutput(actions, many=True).data)


class ConsultationCommentViewSet(CommentViewSet):
    """GET consultations/{id}/comments/: the same list, scoped to one visible consultation."""

    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        consultation = get_object_or_404(
            selectors.consultations_visible_to(self.request.user),
            pk=self.kwargs["consultation_pk"],
        )
        return selectors.comment_list(
            self.request.user, comment_models.Comment.objects.filter(consultation=consultation)
        )


class ModerationActionViewSet(viewsets.ReadOnlyModelViewSet):
    """The moderation log (who, when, what, why) for moderators and officials."""

    serializer_class = comment_serializers.ModerationActionOutput
    pagination_class = CreatedCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["comment", "action", "comment__consultation"]

    def get_queryset(self):
        if not permissions.can_see_moderation_log(self.request.user):
            raise NotAllowed(_("Only moderators and officials see the moderation log."))
        return selectors.moderation_log()


class ResponseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tanggapan: answers to comments or sections; drafts are internal until published."""

    serializer_class = comment_serializers.CommentResponseOutput
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["consultation", "section", "comment", "outcome"]

    def get_queryset(self):
        user = self.request.user
        visible_comments = selectors.comments_visible_to(user).values("pk")
        return (
            selectors.responses_visible_to(user)
            .filter(
                Q(comment__isnull=True) | Q(comment__in=visible_comments),
                consultation__in=selectors.consultations_visible_to(user).values("pk"),
            )
            .select_related("responder")
            .order_by("created_at", "id")
        )

    def create(self, request):
        data = self._input(comment_serializers.ResponseCreateInput)
        response = services.response_create(actor=request.user, **data)
        return Response(
            comment_serializers.CommentResponseOutput(response).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk=None):
        response = self.get_object()
        data = self._input(comment_serializers.ResponseUpdateInput)
        response = services.response_update(actor=request.user, response=response, **data)
        return Response(comment_serializers.CommentResponseOutput(response).data)

    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @action(detail=False, methods=["post"])
    def publish(self, request):
        """Publish every drafted response of one consultation at once."""
        data = self._input(comment_serializers.ResponsesPublishInput)
        count = services.responses_publish(actor=request.user, consultation=data["consultation"])
        return Response({"consultation": data["consultation"].pk, "published": count})

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# --- Hearings, agenda, attendance, speakers, manual counts (issue 5: branch hearings) ---

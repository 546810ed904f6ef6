"""REST endpoints for votes, tallies and the vote log (ARCHITECTURE.md §5)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import MemberTokenAuthentication
from backend.errors import Invalid, NotAllowed, NotFound
from backend.rest import errors
from consultations import permissions as consultation_permissions
from consultations.models import Consultation, Item
from hearings import api as hearing_api
from hearings.api import HearingActions
from hearings.serializers import VotingInput
from voting import chain, payloads, permissions, selectors, services
from voting.serializers import (
    ChainOutput,
    LogEntryOutput,
    ReceiptOutput,
    TallyOutput,
    VoteInput,
    VoteOutput,
    vote_output,
)


def visible_item(user, item_id: int) -> Item:
    """The item with its consultation, or 404 for drafts the user may not see."""
    item = selectors.item_for_voting(item_id)
    if item is None or not consultation_permissions.can_view_consultation(user, item.consultation):
        raise Http404
    return item


def visible_consultation(user, consultation_id: int) -> Consultation:
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    if not consultation_permissions.can_view_consultation(user, consultation):
        raise Http404
    return consultation


def own_vote_state(user, item: Item) -> dict:
    """What a member's page or app needs about its organization's vote on the item."""
    membership = permissions.membership_with_organization(user)
    organization = membership.organization
    consultation = item.consultation
    vote = selectors.vote_of(organization, item)
    denial = permissions.vote_denial(user, item)
    state = {
        "item": item.pk,
        "organization": organization.pk,
        "choice": vote.choice if vote else None,
        "receipt": vote.receipt if vote else None,
        "cast_at": vote.cast_at if vote else None,
        "updated_at": vote.updated_at if vote else None,
        "choices": list(consultation.vote_choices()),
        "can_vote": denial is None,
        "reason": denial.message if denial else None,
    }
    if consultation.voting_method == Consultation.VotingMethod.APPROVAL:
        state["choices_used"] = selectors.votes_used(organization, consultation)
        state["max_choices"] = consultation.max_choices
    return state


class ItemVoteView(APIView):
    """GET the organization's vote, PUT {"choice"} to cast or change it, DELETE to withdraw."""

    permission_classes = [IsAuthenticated]
    # Token first: an anonymous caller gets 401 with `WWW-Authenticate: Token`, not 403.
    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]

    @extend_schema(
        summary="Your organization's vote on an item, and whether it may vote",
        responses={200: OpenApiTypes.OBJECT, **errors(401, 403)},
    )
    def get(self, request, item_id: int):
        item = visible_item(request.user, item_id)
        if not permissions.can_see_own_vote(request.user):
            raise NotAllowed(_("Only registered organizations vote; you are not in one."))
        return Response(own_vote_state(request.user, item))

    @extend_schema(
        summary="Cast or change your organization's vote",
        request=VoteInput,
        responses={200: VoteOutput},
    )
    def put(self, request, item_id: int):
        data = VoteInput(data=request.data)
        if not data.is_valid():
            raise Invalid(_("Give a choice."), field="choice")
        item = visible_item(request.user, item_id)
        vote = services.vote_cast(
            actor=request.user, item=item, choice=data.validated_data["choice"]
        )
        return Response(vote_output(vote))

    @extend_schema(
        summary="Withdraw your organization's vote", responses={200: OpenApiTypes.OBJECT}
    )
    def delete(self, request, item_id: int):
        item = visible_item(request.user, item_id)
        record = services.vote_withdraw(actor=request.user, item=item)
        return Response({"item": item.pk, "choice": None, "receipt": record.hash})


class ItemTallyView(APIView):
    @extend_schema(summary="The tally of one item", responses={200: TallyOutput})
    def get(self, request, item_id: int):
        item = visible_item(request.user, item_id)
        return Response(payloads.tally_of(item))


class ConsultationTalliesView(APIView):
    @extend_schema(
        summary="The tallies of a consultation's items",
        responses={
            200: inline_serializer(
                "ConsultationTallies",
                {
                    "consultation": serializers.IntegerField(),
                    "hidden": serializers.BooleanField(),
                    "chain": ChainOutput(),
                    "results": TallyOutput(many=True),
                },
            )
        },
    )
    def get(self, request, consultation_id: int):
        consultation = visible_consultation(request.user, consultation_id)
        results = payloads.tallies_of(consultation)
        head = results[0]["chain"] if results else payloads.chain(payloads.head_of(consultation.pk))
        return Response(
            {
                "consultation": consultation.pk,
                "hidden": not selectors.tally_visible(consultation),
                "chain": head,
                "results": results,
            }
        )


class LogPagination(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = ("seq",)


class VoteLogView(APIView):
    """The published audit chain, oldest first; see docs/VOTING.md to verify it yourself."""

    @extend_schema(
        summary="The published vote log (the audit chain), oldest first",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={
            200: inline_serializer(
                "VoteLogPage",
                {
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "chain": ChainOutput(),
                    "sealed": serializers.BooleanField(),
                    "results": LogEntryOutput(many=True),
                },
            )
        },
    )
    def get(self, request, consultation_id: int):
        consultation = visible_consultation(request.user, consultation_id)
        paginator = LogPagination()
        page = paginator.paginate_queryset(selectors.vote_log(consultation), request, view=self)
        response = paginator.get_paginated_response(
            [selectors.log_entry(record, consultation) for record in page]
        )
        response.data["chain"] = payloads.chain(payloads.head_of(consultation.pk))
        response.data["sealed"] = selectors.log_sealed(consultation)
        return response


class ReceiptView(APIView):
    """The public receipt check: is this hash in a chain, and does it still stand?"""

    @extend_schema(
        summary="Check a vote receipt against the audit chain",
        responses={200: ReceiptOutput, **errors(400, 404)},
    )
    def get(self, request, receipt: str):
        record = selectors.record_by_receipt(chain.parse_receipt(receipt))
        if record is None or not consultation_permissions.can_view_consultation(
            request.user, record.consultation
        ):
            raise NotFound(_("No vote record has this receipt."))
        own = permissions.can_see_organization_votes(request.user, record.organization)
        return Response(payloads.receipt(record, own=own))


class HearingVotingViewSet(HearingActions):
    """A hearing's live voting window: `hearings/{id}/open-voting/` and `close-voting/`."""

    @extend_schema(summary="Open live voting on an item", request=VotingInput)
    @action(detail=True, methods=["post"], url_path="open-voting")
    def open_voting(self, request, pk=None):
        hearing = self.get_object()
        data = hearing_api._parse(VotingInput, request.data)
        hearing = services.hearing_open_voting(
            actor=request.user, hearing=hearing, item=data["item"]
        )
        return self._answer(hearing)

    @extend_schema(summary="Close the live voting window", request=None)
    @action(detail=True, methods=["post"], url_path="close-voting")
    def close_voting(self, request, pk=None):
        hearing = services.hearing_close_voting(actor=request.user, hearing=self.get_object())
        return self._answer(hearing)

"""The real URLs plus `bench/minimal-vote/<item>/` and `bench/floor-vote/<item>/`: baselines
(a) and (c) of bench/votes.py."""

import json

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from knox.crypto import hash_token
from knox.models import AuthToken

from backend.urls import urlpatterns as real_urlpatterns
from consultations.models import Item
from realtime import events
from voting.models import Tally, Vote, VoteChain


def _voter(request) -> tuple[int, int] | None:
    """(user id, organization id) of the request's token, in one query; None if unknown."""
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    return (
        AuthToken.objects.filter(digest=hash_token(key))
        .values_list("user_id", "user__membership__organization_id")
        .first()
    )


@csrf_exempt
def minimal_vote(request, item_id: int):
    """Only what a vote must do at the least: find the voter, upsert the vote, bump the tally."""
    row = _voter(request)
    if row is None:
        return HttpResponse(status=401)
    user_id, organization_id = row
    choice = json.loads(request.body)["choice"]
    now = timezone.now()
    with transaction.atomic():
        Vote.objects.bulk_create(
            [
                Vote(
                    organization_id=organization_id,
                    item_id=item_id,
                    choice=choice,
                    cast_by_id=user_id,
                    cast_at=now,
                    updated_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["organization", "item"],
            update_fields=["choice", "updated_at"],
        )
        column = Tally.COLUMNS[choice]
        Tally.objects.filter(item_id=item_id).update(**{column: F(column) + 1})
    return JsonResponse({"item": item_id, "choice": choice})


@csrf_exempt
def floor_vote(request, item_id: int):
    """The statements a vote's rules need, each as its cheapest ORM call, and nothing else:
    the voter (as (a)), the item's consultation, the vote's lock, the chain head's lock,
    one write, the event (stream counter and row, `realtime.events.publish`). No
    permission, no hash, no payload: what the full API would cost were all its Python
    free. Only read by the figures; it counts nothing right."""
    row = _voter(request)
    if row is None:
        return HttpResponse(status=401)
    _user_id, organization_id = row
    choice = json.loads(request.body)["choice"]
    consultation_id = Item.objects.values_list("consultation_id", flat=True).get(pk=item_id)
    with transaction.atomic():
        Vote.objects.select_for_update().filter(
            organization_id=organization_id, item_id=item_id
        ).values_list("choice", flat=True).first()
        VoteChain.objects.select_for_update().filter(consultation_id=consultation_id).values_list(
            "length", "head"
        ).get()
        column = Tally.COLUMNS[choice]
        Tally.objects.filter(item_id=item_id).update(**{column: F(column) + 1})
        events.publish(f"consultation:{consultation_id}", "tally.updated", {"item": item_id})
    return JsonResponse({"item": item_id, "choice": choice})


urlpatterns = [
    path("bench/minimal-vote/<int:item_id>/", minimal_vote),
    path("bench/floor-vote/<int:item_id>/", floor_vote),
    *real_urlpatterns,
]

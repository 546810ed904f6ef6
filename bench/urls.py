"""The real URLs plus `bench/minimal-vote/<item>/`: baseline (a) of bench/votes.py."""

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
from voting.models import Tally, Vote


@csrf_exempt
def minimal_vote(request, item_id: int):
    """Only what a vote must do at the least: find the voter, upsert the vote, bump the tally."""
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    row = (
        AuthToken.objects.filter(digest=hash_token(key))
        .values_list("user_id", "user__membership__organization_id")
        .first()
    )
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


urlpatterns = [
    path("bench/minimal-vote/<int:item_id>/", minimal_vote),
    *real_urlpatterns,
]

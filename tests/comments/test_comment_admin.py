import pytest
from django.urls import reverse

from comments import responses

pytestmark = pytest.mark.django_db


def test_admin_lists_comments_log_and_responses(client, superuser, published_comment, official):

    responses.response_create(
        actor=official, comment=published_comment, outcome="noted", body="Dicatat."
    )
    client.force_login(superuser)
    for name in ("comment", "moderationaction", "response"):
        assert client.get(reverse(f"admin:comments_{name}_changelist")).status_code == 200
    url = reverse("admin:comments_comment_change", args=[published_comment.pk])
    assert client.get(url).status_code == 200


def test_admin_approve_action_goes_through_the_service(client, superuser, pending_comment):
    client.force_login(superuser)
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [pending_comment.pk]},
    )
    pending_comment.refresh_from_db()
    assert pending_comment.is_published
    assert pending_comment.moderation.get().actor == superuser

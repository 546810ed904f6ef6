"""Moderators hear of comments waiting in the pre-moderation queue grouped: one notice per
run of the job (every 15 minutes), however many comments arrived, not one each."""

import pytest

from notifications import tasks
from notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.conftest import kinds_of

pytestmark = pytest.mark.django_db


def test_three_waiting_comments_make_one_notice_per_moderator(
    moderator, pre_consultation, member, representative, post, mailoutbox, generous_limits
):
    second_moderator = UserFactory(username="mods2", groups=["moderators"])
    for author in (member, representative, member):
        post(author, pre_consultation, section=pre_consultation.sections.get())
    tasks.notify_moderators.call_local()
    for user in (moderator, second_moderator):
        notification = Notification.objects.get(user=user)
        assert notification.kind == "moderation_waiting"
        assert notification.data["count"] == 3
        assert "3 komentar menunggu moderasi" in notification.title
        assert notification.url == "/moderasi/"
    assert len(mailoutbox) == 2  # one e-mail per moderator, not one per comment
    assert kinds_of(member) == []


def test_a_run_with_no_new_comment_sends_nothing_and_a_new_one_sends_one_more(
    moderator, pre_consultation, member, post, generous_limits
):
    post(member, pre_consultation, section=pre_consultation.sections.get())
    tasks.notify_moderators.call_local()
    tasks.notify_moderators.call_local()
    assert kinds_of(moderator) == ["moderation_waiting"]
    post(member, pre_consultation, section=pre_consultation.sections.get())
    tasks.notify_moderators.call_local()
    assert kinds_of(moderator) == ["moderation_waiting", "moderation_waiting"]
    assert Notification.objects.filter(user=moderator).first().data["count"] == 2

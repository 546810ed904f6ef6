"""Reads of notifications: a user's list and unread count, preferences, and who receives a
notification (the audience of a fan-out job)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts import permissions as accounts_permissions
from accounts.models import Membership, Organization
from aspirations.models import Aspiration, Support
from comments.models import Comment
from notifications import kinds
from notifications.models import (
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
)

User = get_user_model()


def notification_list(user, *, unread: bool = False):
    """The user's own notifications, newest first (the API paginates by cursor)."""
    queryset = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    if unread:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def unread_count(user) -> int:
    if not accounts_permissions.is_authenticated(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def kinds_for(user) -> list[str]:
    """The kinds this user can receive, for the preferences page: the moderation notice
    only for moderators (and superusers), the rest for everyone."""
    staff = accounts_permissions.is_moderator(user)
    return [k for k in Kind.values if staff or k not in kinds.STAFF_KINDS]


def channels_of(user) -> dict[str, str]:
    """kind → channel for every kind the user can receive (stored or the default)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {k: stored.get(k, kinds.DEFAULT_CHANNEL[k]) for k in kinds_for(user)}


def language_of(user) -> str:
    row = NotificationSettings.objects.filter(user=user).values_list("language", flat=True)
    return row.first() or "id"


def recipient_ids(audience: dict) -> list[int]:
    """The active users an audience names, each once, in id order (one query).

    users: these ids. verified_members: every member of a verified organization (or of
    `organizations`). representatives: their representatives only. commenters_of: the
    authors of comments on that consultation. aspiration: a proposal's author and whoever
    supports it (the citizen, or the representative who cast the organization's support).
    moderators: the moderators' group.
    """
    where = Q(pk__in=[])
    if audience.get("users"):
        where |= Q(pk__in=[int(pk) for pk in audience["users"]])
    for key, role in (
        ("verified_members", None),
        ("representatives", Membership.Role.REPRESENTATIVE),
    ):
        if not audience.get(key):
            continue
        members = Membership.objects.filter(organization__status=Organization.Status.VERIFIED)
        if audience.get("organizations"):
            members = members.filter(organization_id__in=audience["organizations"])
        if role is not None:
            members = members.filter(role=role)
        where |= Q(pk__in=members.values("user_id"))
    if audience.get("commenters_of"):
        where |= Q(
            pk__in=Comment.objects.filter(
                consultation_id=audience["commenters_of"], author__isnull=False
            ).values("author_id")
        )
    if audience.get("aspiration"):
        aspiration = audience["aspiration"]
        supports = Support.objects.filter(aspiration_id=aspiration)
        where |= (
            Q(pk__in=Aspiration.objects.filter(pk=aspiration).values("author_id"))
            | Q(pk__in=supports.values("cast_by_id"))
            | Q(pk__in=supports.exclude(citizen=None).values("citizen_id"))
        )
    if audience.get("moderators"):
        where |= Q(groups__name=accounts_permissions.MODERATORS)
    queryset = User.objects.filter(where, is_active=True).order_by("pk").distinct()
    return list(queryset.values_list("pk", flat=True))

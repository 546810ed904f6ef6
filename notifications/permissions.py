"""Who may see and change a notification: its own user only (someone else's is a 404)."""

from accounts import permissions as accounts_permissions


def can_read(user, notification) -> bool:
    return accounts_permissions.is_authenticated(user) and notification.user_id == user.pk


def can_have_notifications(user) -> bool:
    return accounts_permissions.is_authenticated(user)

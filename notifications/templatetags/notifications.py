"""{% unread_notifications as n %}: the signed-in user's unread count for the bell in the
header, one COUNT query per page (kept on the request if the page asks twice)."""

from django import template

from notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = selectors.unread_count(request.user)
    return request._unread_notifications

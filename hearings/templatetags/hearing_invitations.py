"""Undangan on pages other apps render (the console, the hearing list): the rows come
from the selector here, so those views need not know about invitations."""

from django import template

from accounts import permissions
from hearings import selectors
from hearings.models import Hearing

register = template.Library()


@register.simple_tag(takes_context=True)
def hearing_invitation_rows(context, hearing):
    """The invitations of `hearing` the signed-in user may read, with `checked_in`."""
    request = context.get("request")
    if request is None:
        return []
    return list(selectors.invitations_visible_to(request.user, hearing))


@register.simple_tag(takes_context=True)
def my_hearing_invitations(context):
    """The current user's organization's invitations to hearings that have not ended."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    if permissions.membership_of(request.user) is None:  # staff: no organization
        return []
    return list(
        selectors.invitations_visible_to(request.user).exclude(hearing__status=Hearing.Status.ENDED)
    )

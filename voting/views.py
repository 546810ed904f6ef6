"""The HTML side of voting: a plain form POST that works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.errors import DomainError
from consultations import permissions as consultation_permissions
from consultations.models import Item
from voting import services


def _back(request, item: Item) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("consultation-detail", args=[item.consultation_id]) + f"#butir-{item.pk}"


@login_required
@require_POST
def vote_submit(request, item_id: int):
    """Cast, change (`choice`) or withdraw (`withdraw`) and go back to the page."""
    item = get_object_or_404(Item.objects.select_related("consultation"), pk=item_id)
    if not consultation_permissions.can_view_consultation(request.user, item.consultation):
        raise Http404
    try:
        if "withdraw" in request.POST:
            record = services.vote_withdraw(actor=request.user, item=item)
            messages.success(
                request,
                _("Your vote on “%(item)s” was withdrawn. Receipt: %(receipt)s")
                % {"item": item.title, "receipt": record.hash},
            )
        else:
            vote = services.vote_cast(
                actor=request.user, item=item, choice=request.POST.get("choice", "")
            )
            messages.success(
                request,
                _("Your vote on “%(item)s” was recorded. Receipt: %(receipt)s")
                % {"item": item.title, "receipt": vote.receipt},
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_back(request, item))

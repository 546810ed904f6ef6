"""The HTML side of voting: a plain form POST that works without JavaScript, and the
public receipt check (a GET form)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.errors import DomainError
from consultations import permissions as consultation_permissions
from consultations.models import Choice, Item
from voting import chain, payloads, permissions, selectors, services
from voting.models import VoteRecord
from voting.templatetags.voting_tags import VOTE_OUTCOME_KEY


def _back(request, item: Item) -> str:
    """The page the vote came from, at the item's vote panel (where its confirmation is)."""
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("consultation-detail", args=[item.consultation_id])
    return target.split("#", 1)[0] + f"#vote-{item.pk}"


@login_required
@require_POST
def vote_submit(request, item_id: int):
    """Cast, change (`choice`) or withdraw (`withdraw`) and go back to the page.

    The outcome is shown in the item's own vote panel, where the person is looking, not at
    the top of the page: it waits in the session for that panel (voting_tags.item_vote).
    """
    item = get_object_or_404(Item.objects.select_related("consultation"), pk=item_id)
    if not consultation_permissions.can_view_consultation(request.user, item.consultation):
        raise Http404
    try:
        if "withdraw" in request.POST:
            record = services.vote_withdraw(actor=request.user, item=item)
            outcome = {"withdrawn": True, "receipt": record.hash}
        else:
            vote = services.vote_cast(
                actor=request.user, item=item, choice=request.POST.get("choice", "")
            )
            outcome = {"choice": vote.choice, "receipt": vote.receipt}
    except DomainError as error:
        outcome = {"error": str(error.message)}
    request.session[VOTE_OUTCOME_KEY] = {"item": item.pk, **outcome}
    return redirect(_back(request, item))


@require_GET
def receipt_check(request):
    """The "Periksa tanda terima" page: the receipt API's answer (`payloads.receipt`) as a page.

    Bad input answers 400 and an unknown receipt 404, each with the form and a message.
    """
    typed = request.GET.get("receipt", "")
    context = {"typed": typed[:200], "result": None, "error": None}
    status = 200
    if typed.strip():
        try:
            record = selectors.record_by_receipt(chain.parse_receipt(typed))
            if record is None or not consultation_permissions.can_view_consultation(
                request.user, record.consultation
            ):
                status = 404
                context["error"] = _("No vote record has this receipt.")
            else:
                own = permissions.can_see_organization_votes(request.user, record.organization)
                result = payloads.receipt(record, own=own)
                result["at"] = parse_datetime(result["at"]) if result["at"] else None
                result["action_label"] = (
                    VoteRecord.Action(result["action"]).label if result["action"] else ""
                )
                result["choice_label"] = Choice(result["choice"]).label if result["choice"] else ""
                context.update(result=result, own=own)
        except DomainError as error:
            status = error.status_code
            context["error"] = error.message
    return render(request, "voting/receipt_check.html", context, status=status)

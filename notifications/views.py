"""Pages: "Pemberitahuan" (the list, mark read, mark all read, the channel per kind) and the
one-click unsubscribe of the e-mails (RFC 8058)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from backend.errors import Invalid, NotFound
from notifications import kinds, mail, selectors, services
from notifications.models import Channel, Kind

PER_PAGE = 30


@login_required
def notification_list(request):
    unread_only = request.GET.get("belum") == "1"
    page = Paginator(
        selectors.notification_list(request.user, unread=unread_only), PER_PAGE
    ).get_page(request.GET.get("halaman"))
    for notification in page:
        # In the language the page is read in (the stored title is in the e-mail language).
        try:
            notification.display_title = kinds.title(notification.kind, notification.data)
        except (ValueError, KeyError, TypeError):  # a kind retired since
            notification.display_title = notification.title
        notification.lines = kinds.details(notification.kind, notification.data)
    channels = selectors.channels_of(request.user)
    preferences = [
        {"kind": kind, "label": Kind(kind).label, "channel": channel}
        for kind, channel in channels.items()
    ]
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
            "preferences": preferences,
            "channel_choices": Channel.choices,
            "email_language": selectors.language_of(request.user),
        },
    )


def _own_notification(request, notification_id):
    found = selectors.notification_list(request.user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound(_("Notification not found."))
    return found


def _safe_link(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("notifications")


@login_required
@require_POST
def notification_open(request, notification_id):
    """Mark it read and go where it points."""
    notification = _own_notification(request, notification_id)
    services.notification_read(actor=request.user, notification=notification)
    if request.POST.get("stay"):
        return redirect("notifications")
    return redirect(_safe_link(request, notification.url))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_read_all(actor=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("notifications")


@login_required
@require_POST
def preferences_save(request):
    allowed = selectors.kinds_for(request.user)
    channels = {kind: request.POST[kind] for kind in allowed if kind in request.POST}
    language = request.POST.get("language") or translation.get_language()
    services.preferences_set(actor=request.user, channels=channels, language=language)
    messages.success(request, _("Your notification settings are saved."))
    return redirect(reverse("notifications") + "#preferensi")


@csrf_exempt  # RFC 8058: the mail client POSTs without a session or a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page that asks to confirm (link scanners only GET, and change nothing);
    POST: unsubscribe now (the mail client's one-click, or the page's button)."""
    parsed = mail.read_unsubscribe_token(token)
    if parsed is None:
        raise Invalid(_("This unsubscribe link is not valid."))
    kind_label = mail.kind_label(parsed[1])
    if request.method == "GET":
        return render(
            request,
            "notifications/unsubscribe.html",
            {"kind_label": kind_label, "token": token, "done": False},
        )
    services.notification_unsubscribe(token=token)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_label": kind_label, "token": token, "done": True},
    )

"""Template helpers for proposals: stage and status badges, and the "aspirasi yang ditampung"
line under each RPJMD programme of the consultation page."""

from django import template
from django.utils.html import format_html

from aspirations import selectors
from consultations.models import Consultation

register = template.Library()


@register.simple_tag
def stage_badge(aspiration) -> str:
    return format_html(
        '<span class="badge stage stage-{}">{}</span>',
        aspiration.stage,
        aspiration.get_stage_display(),
    )


@register.simple_tag
def status_badge(aspiration) -> str:
    return format_html(
        '<span class="badge aspiration-status status-{}">{}</span>',
        aspiration.status,
        aspiration.get_status_display(),
    )


@register.inclusion_tag("aspirations/_item_aspirations.html", takes_context=True)
def item_aspirations(context, item):
    """How many proposals the programme carries, with a link to them. The counts of all the
    consultation's programmes come in one query per page (cached on the request), and
    none on a page of a consultation that takes no proposals."""
    page_consultation = context.get("consultation")
    if (
        getattr(page_consultation, "pk", None) == item.consultation_id
        and page_consultation.kind != Consultation.Kind.RPJMD
    ):
        return {"item": item, "count": 0}  # proposals go to RPJMD plans only: no query
    request = context.get("request")
    cache = getattr(request, "_carried_counts", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._carried_counts = cache
    if item.consultation_id not in cache:
        cache[item.consultation_id] = selectors.carried_counts(item.consultation_id)
    return {"item": item, "count": cache[item.consultation_id].get(item.pk, 0)}


@register.simple_tag
def scoring_criteria():
    """The criteria the forum scores by (the console's score form on a forum hearing)."""
    return selectors.active_criteria()

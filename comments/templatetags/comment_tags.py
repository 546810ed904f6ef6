"""Template helpers for comments: the per-section summary the consultation page shows."""

from django import template
from django.conf import settings

from comments import permissions, selectors
from comments.models import Comment

register = template.Library()


@register.inclusion_tag("comments/_comment_summary.html", takes_context=True)
def section_comments(context, section):
    """Counts by stance and the link to the thread, for one section of the consultation page.

    The counts of every section are read in one query per page (cached on the request).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    cache = getattr(request, "_comment_counts", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._comment_counts = cache
    if section.consultation_id not in cache:
        cache[section.consultation_id] = selectors.comment_counts_by_stance(
            user, section.consultation_id
        )
    counts = cache[section.consultation_id].get(section.pk) or selectors.empty_stance_counts()
    first = request is not None and not getattr(request, "_comment_css_done", False)
    if request is not None:
        request._comment_css_done = True
    return {"section": section, "counts": counts, "include_css": first, "request": request}


@register.filter
def stance_label(value) -> str:

    return dict(Comment.Stance.choices).get(value, value)


@register.simple_tag
def comment_max_length() -> int:
    return settings.RUANG["COMMENT_MAX_LENGTH"]


@register.filter
def can_report(comment, user) -> bool:
    return permissions.can_report_comment(user, comment)

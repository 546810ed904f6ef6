"""`{% stance_bars counts as bars %}`: a theme's or group's stance mix as stacked bar parts."""

from django import template

from comments.models import Comment

register = template.Library()
LABELS = dict(Comment.Stance.choices)


@register.simple_tag
def stance_bars(counts: dict) -> list[dict]:
    total = sum(counts.values()) or 1
    bars, offset = [], 0.0
    for stance in Comment.Stance.values:
        n = counts.get(stance, 0)
        width = round(100 * n / total, 1)
        bars.append(
            {
                "stance": stance,
                "label": LABELS[stance],
                "n": n,
                "percent": width,
                "offset": offset,
            }
        )
        offset = round(offset + width, 1)
    return bars

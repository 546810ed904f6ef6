"""Template helpers for the reading pages: Rupiah amounts and section anchors."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.text import slugify

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """1500000000 -> "Rp 1.500.000.000" (Indonesian grouping, sen only when not zero)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents = int((amount - whole) * 100)
    text = f"{whole:,}".replace(",", ".")
    if cents:
        text += f",{cents:02d}"
    return f"{sign}Rp {text}"


@register.filter
def anchor(section) -> str:
    """ "Pasal 3" -> "pasal-3": stable anchors for links into a draft."""
    return slugify(getattr(section, "number", section)) or f"bagian-{section.pk}"

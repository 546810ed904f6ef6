"""The checks several proposal services share: a text field and an amount in rupiah, with
the message a citizen reads when they are wrong."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from backend.errors import Invalid

MAX_COST = Decimal("9999999999999.99")  # the column's 15 digits
MAX_PAGU = Decimal("9999999999999999.99")  # 18 digits, like an item's budget ceiling


def text(value, *, field: str, limit: int, required: bool, label: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(label)s must be text.") % {"label": label}, field=field)
    value = value.strip()
    if required and not value:
        raise Invalid(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > limit:
        raise Invalid(
            _("%(label)s can have at most %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    if "\x00" in value:
        raise Invalid(_("The text contains characters that cannot be stored."), field=field)
    return value


def money(value, *, field: str, limit: Decimal, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise Invalid(
            _("%(label)s must be an amount in rupiah.") % {"label": label}, field=field
        ) from exc
    if not amount.is_finite():
        raise Invalid(_("%(label)s must be an amount in rupiah.") % {"label": label}, field=field)
    if amount < 0:
        raise Invalid(_("%(label)s cannot be negative.") % {"label": label}, field=field)
    if amount > limit:
        raise Invalid(_("%(label)s is too large.") % {"label": label}, field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(_("%(label)s can have at most two decimals.") % {"label": label}, field=field)
    return amount.quantize(Decimal("0.01"))

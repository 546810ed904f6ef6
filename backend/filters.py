"""Filter fields shared by the apps' FilterSets, and the bound on ids in query parameters."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from backend.errors import Invalid


class StorableIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time that also exists in UTC: "9999-12-31T23:59-14:00" is a 400, not a 500."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or value.tzinfo is None:
            return value
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
            return value.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(_("This date is out of range."), code="invalid") from exc


class StorableIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = StorableIsoDateTimeField


# The largest id a database row can have (a 64-bit signed integer, PostgreSQL's bigint and
# SQLite's INTEGER). A larger number in a filter is a 400, never an overflow in the driver.
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """An id in a query parameter: a whole number from 1 to MAX_ID."""

    default_error_messages = {
        "invalid": _("Give an id: a whole number."),
        "min_value": _("An id is a whole number from 1 up."),
        "max_value": _("No id is that large."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """Filter by the id of a related row (`?author=`, `?consultation=`): a bounded integer,
    not NumberFilter's decimal, so a huge or fractional value is a 400 with a message."""

    field_class = IdField


def parse_id(value, *, field: str) -> int:
    """An id from a query parameter outside a FilterSet: Invalid (400) unless IdField takes it."""
    try:
        return IdField().clean(value)
    except forms.ValidationError as exc:
        raise Invalid(exc.messages[0], field=field) from exc

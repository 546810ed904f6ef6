"""Filter fields shared by the apps' FilterSets."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


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

"""django-filter FilterSets shared by the API and the HTML list pages."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consultations.models import Comment, Consultation, Organization


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


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    opens_after = StorableIsoDateTimeFilter(field_name="opens_at", lookup_expr="gte")
    opens_before = StorableIsoDateTimeFilter(field_name="opens_at", lookup_expr="lte")
    closes_after = StorableIsoDateTimeFilter(field_name="closes_at", lookup_expr="gte")
    closes_before = StorableIsoDateTimeFilter(field_name="closes_at", lookup_expr="lte")

    class Meta:
        model = Consultation
        fields = ["status", "kind", "agency", "audience"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")

    class Meta:
        model = Organization
        fields = ["status"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(acronym__icontains=value)
            | Q(registration_number__icontains=value)
        )


# --- Comments (issue 3: branch comments) ---


class CommentFilter(django_filters.FilterSet):
    """Applied after the visibility rule, so no filter can reveal a comment the user may not see."""

    q = django_filters.CharFilter(method="search", label="Search")
    created_after = StorableIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = StorableIsoDateTimeFilter(field_name="created_at", lookup_expr="lte")
    has_response = django_filters.BooleanFilter(method="filter_has_response")
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull")
    # distinct=False: no join behind these, and DISTINCT would sort every matching row.
    status = django_filters.MultipleChoiceFilter(choices=Comment.Status.choices, distinct=False)
    stance = django_filters.MultipleChoiceFilter(choices=Comment.Stance.choices, distinct=False)
    # Plain numbers, not model choices: no lookup query, and no hint whether an id exists.
    consultation = django_filters.NumberFilter()
    section = django_filters.NumberFilter()
    item = django_filters.NumberFilter()
    hearing = django_filters.NumberFilter()
    parent = django_filters.NumberFilter()
    organization = django_filters.NumberFilter()
    author = django_filters.NumberFilter()

    class Meta:
        model = Comment
        fields = [
            "consultation",
            "section",
            "item",
            "hearing",
            "parent",
            "organization",
            "author",
            "stance",
            "status",
        ]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(body__icontains=value)

    def filter_has_response(self, queryset, name, value):
        if value is None:
            return queryset
        from consultations import selectors

        user = getattr(self.request, "user", None)
        answered = selectors.responses_visible_to(user).filter(comment__isnull=False)
        condition = Q(pk__in=answered.values("comment_id"))
        return queryset.filter(condition) if value else queryset.exclude(condition)

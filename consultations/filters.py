"""django-filter FilterSets shared by the API and the HTML list pages."""

import django_filters
from django.db.models import Q

from consultations.models import Consultation, Organization


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    opens_after = django_filters.IsoDateTimeFilter(field_name="opens_at", lookup_expr="gte")
    opens_before = django_filters.IsoDateTimeFilter(field_name="opens_at", lookup_expr="lte")
    closes_after = django_filters.IsoDateTimeFilter(field_name="closes_at", lookup_expr="gte")
    closes_before = django_filters.IsoDateTimeFilter(field_name="closes_at", lookup_expr="lte")

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

"""Query filters of the consultation list (API and pages)."""

import django_filters
from django.db.models import Q

from backend.filters import StorableIsoDateTimeFilter
from consultations.models import Consultation


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

"""Query filters of the proposal list (API and page): area, category, stage, status, and
"supported by my organization"."""

import django_filters

from accounts import permissions as accounts_permissions
from aspirations import selectors
from aspirations.models import Aspiration, Stage


class AspirationFilter(django_filters.FilterSet):
    # Plain numbers, not model choices: no lookup query, and no hint whether an id exists.
    consultation = django_filters.NumberFilter(min_value=1, max_value=2**63 - 1)
    kecamatan = django_filters.NumberFilter(min_value=1, max_value=2**63 - 1)
    kelurahan = django_filters.NumberFilter(min_value=1, max_value=2**63 - 1)
    category = django_filters.NumberFilter(min_value=1, max_value=2**63 - 1)
    item = django_filters.NumberFilter(min_value=1, max_value=2**63 - 1)
    organization = django_filters.NumberFilter(min_value=1, max_value=2**63 - 1)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    # distinct=False: no join behind it, and DISTINCT would sort every matching row.
    status = django_filters.MultipleChoiceFilter(choices=Aspiration.Status.choices, distinct=False)
    supported_by_my_organization = django_filters.BooleanFilter(
        method="filter_supported", label="Supported by my organization"
    )
    q = django_filters.CharFilter(method="search", label="Search")

    class Meta:
        model = Aspiration
        fields = ["consultation", "kecamatan", "kelurahan", "category", "stage", "status", "item"]

    def filter_supported(self, queryset, name, value):
        if value is None:
            return queryset
        organization = accounts_permissions.verified_organization_of(
            getattr(self.request, "user", None)
        )
        if organization is None:
            return queryset.none() if value else queryset
        condition = selectors.supported_by(organization.pk)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        return queryset.filter(title__icontains=value) if value else queryset

"""Query filters of the comment list (API, exports, dashboard)."""

import django_filters
from django.db.models import Q

from backend.filters import IdFilter, StorableIsoDateTimeFilter
from comments import selectors
from comments.models import Comment


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
    # Plain bounded ids, not model choices: no lookup query, and no hint whether an id exists.
    consultation = IdFilter()
    section = IdFilter()
    item = IdFilter()
    hearing = IdFilter()
    parent = IdFilter()
    organization = IdFilter()
    author = IdFilter()

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

        user = getattr(self.request, "user", None)
        answered = selectors.responses_visible_to(user).filter(comment__isnull=False)
        condition = Q(pk__in=answered.values("comment_id"))
        return queryset.filter(condition) if value else queryset.exclude(condition)

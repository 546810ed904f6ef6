"""Supports stay exact under concurrency (PostgreSQL: SQLite serializes writers anyway).
50 representatives of 50 organizations support at once: 50. 50 requests of one organization
(its representative, twice over in parallel): 1. Each thread has its own connection."""

import pytest
from django.db.models import Count
from rest_framework.test import APIClient

from aspirations.models import Aspiration, Support
from tests.factories import AspirationFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.voting.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def representatives(n):
    return [
        MembershipFactory(
            user=UserFactory(), organization=OrganizationFactory(), role="representative"
        ).user
        for _ in range(n)
    ]


def support_job(user, aspiration, method="put"):
    def job():
        client = APIClient()
        client.force_authenticate(user)
        response = getattr(client, method)(f"/api/v1/aspirations/{aspiration.pk}/support/")
        assert response.status_code == 200, response.content

    return job


def test_50_parallel_supports_from_50_organizations_count_50():
    aspiration = AspirationFactory()
    errors = run_together([support_job(user, aspiration) for user in representatives(50)])
    assert errors == []
    aspiration.refresh_from_db()
    assert aspiration.support_organizations == 50
    assert Support.objects.filter(aspiration=aspiration).count() == 50


def test_50_parallel_supports_from_one_organization_count_1():
    aspiration = AspirationFactory()
    (user,) = representatives(1)
    errors = run_together([support_job(user, aspiration) for _ in range(50)])
    assert errors == []
    aspiration.refresh_from_db()
    assert aspiration.support_organizations == 1
    assert Support.objects.filter(aspiration=aspiration).count() == 1


def test_supports_and_withdrawals_racing_leave_counts_equal_to_the_rows():
    aspiration = AspirationFactory()
    users = representatives(20) + [UserFactory() for _ in range(20)]
    jobs = [support_job(user, aspiration) for user in users]
    jobs += [support_job(user, aspiration, "delete") for user in users[::2]]
    errors = run_together(jobs)
    assert errors == []
    aspiration = Aspiration.objects.get(pk=aspiration.pk)
    rows = Support.objects.filter(aspiration=aspiration).aggregate(
        organizations=Count("organization"), citizens=Count("citizen")
    )
    assert (aspiration.support_organizations, aspiration.support_citizens) == (
        rows["organizations"],
        rows["citizens"],
    )

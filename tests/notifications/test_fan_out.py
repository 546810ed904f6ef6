"""A notification to every member of 300 organizations is ONE job, queued when the action
commits, that writes the rows in batches (bulk inserts): the request itself does no
per-recipient work, and the job's queries do not grow with the recipients."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, Organization
from hearings import services as hearing_services
from notifications import services, tasks
from notifications.models import Notification, OutgoingEmail
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def organizations_with_members(count: int, members: int, *, email: bool) -> None:
    """`count` verified organizations of `members` each, inserted in bulk (fast to build)."""
    template = OrganizationFactory.build()
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"LSM Nomor {n}",
                acronym=f"N{n}",
                registration_number=f"SKT-{n:04d}/BKBP/2025",
                registration_issued_on=template.registration_issued_on,
                registration_expires_on=template.registration_expires_on,
                status=Organization.Status.VERIFIED,
                verified_at=timezone.now(),
            )
            for n in range(count)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"anggota-{o}-{m}",
                email=f"anggota-{o}-{m}@example.id" if email else "",
            )
            for o in range(count)
            for m in range(members)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=users[o * members + m],
                organization=organization,
                role=Membership.Role.REPRESENTATIVE if m == 0 else Membership.Role.MEMBER,
            )
            for o, organization in enumerate(organizations)
            for m in range(members)
        ]
    )


def test_a_hearing_for_300_organizations_is_one_job_writing_in_batches(
    django_capture_on_commit_callbacks, official, open_consultation, monkeypatch
):
    organizations_with_members(300, 10, email=False)
    jobs, inserts = [], []
    notify = tasks.notify
    monkeypatch.setattr(tasks, "notify", lambda *args: jobs.append(args) or notify(*args))
    bulk_create = Notification.objects.bulk_create
    monkeypatch.setattr(
        Notification.objects,
        "bulk_create",
        lambda rows, **kw: inserts.append(len(rows)) or bulk_create(rows, **kw),
    )

    with (
        CaptureQueriesContext(connection) as request_queries,
        django_capture_on_commit_callbacks(execute=False) as on_commit,
    ):
        hearing_services.hearing_create(
            actor=official,
            consultation=open_consultation,
            title="Forum Konsultasi Publik Kota",
            starts_at=timezone.now() + datetime.timedelta(days=3),
        )
    assert len(request_queries) < 15  # the request: no work per recipient
    assert jobs == []  # nothing runs before the commit

    with CaptureQueriesContext(connection) as job_queries:
        for callback in on_commit:
            callback()
    assert len(jobs) == 1  # one job for 3,000 recipients
    assert Notification.objects.filter(kind="hearing_scheduled").count() == 3000
    assert inserts == [500] * 6  # six batches of bulk inserts
    # A handful per batch (SQLite splits a 500-row insert into five by its variable limit;
    # PostgreSQL takes it in one), never one per recipient: 3,000 would show here.
    assert len(job_queries) < 80


def test_emails_of_a_big_fan_out_go_out_in_jobs_of_100_over_one_connection(monkeypatch, mailoutbox):
    organizations_with_members(25, 10, email=True)
    sending_jobs = []
    send = tasks.send_emails
    monkeypatch.setattr(tasks, "send_emails", lambda ids: sending_jobs.append(ids) or send(ids))
    email_ids = services.notification_send(
        kind="voting_opened",
        audience={"verified_members": True},
        data={"consultation_title": "Ranperwal RTH", "closes_at": None},
        url="/konsultasi/1/",
    )
    tasks.queue_emails(email_ids)
    assert [len(ids) for ids in sending_jobs] == [100, 100, 50]
    assert len(mailoutbox) == 250
    assert OutgoingEmail.objects.filter(status="sent").count() == 250

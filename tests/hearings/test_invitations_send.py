"""An official sends the undangan: who may, to whom, once, and the e-mail it queues."""

import pytest
from django.core import mail

from accounts.models import Membership
from hearings.models import HearingInvitation
from hearings.tasks import send_hearing_invitation
from tests.factories import MembershipFactory, UserFactory


def url(hearing):
    return f"/api/v1/hearings/{hearing.pk}/invitations/"


def test_official_invites_verified_organizations_and_gets_numbered_invitations(
    api_as, official, monday_hearing, organization, other_organization
):
    answer = api_as(official).post(
        url(monday_hearing), {"organizations": [organization.pk, other_organization.pk]}, "json"
    )
    assert answer.status_code == 201
    rows = answer.json()
    assert {row["organization"]["name"] for row in rows} == {
        "LSM Pelita Pasuruan",
        "LSM Harapan Bangsa",
    }
    assert all(row["reply"] == "pending" for row in rows)
    # 005/<hearing>.<n>/<agency>/<year>: numbered one after another per hearing.
    assert sorted(row["number"] for row in rows) == [
        f"005/{monday_hearing.pk}.1/BAPPEDA/2026",
        f"005/{monday_hearing.pk}.2/BAPPEDA/2026",
    ]
    assert HearingInvitation.objects.filter(hearing=monday_hearing).count() == 2


@pytest.mark.parametrize("persona", ["member", "representative", "moderator", "planner"])
def test_only_officials_send_invitations(request, api_as, persona, monday_hearing, organization):
    user = request.getfixturevalue(persona)
    answer = api_as(user).post(url(monday_hearing), {"organizations": [organization.pk]}, "json")
    assert answer.status_code == 403
    assert not HearingInvitation.objects.exists()


def test_anonymous_caller_is_asked_to_sign_in(api_as, monday_hearing, organization):
    answer = api_as(None).post(url(monday_hearing), {"organizations": [organization.pk]}, "json")
    assert answer.status_code == 401


def test_unverified_organization_cannot_be_invited_and_nothing_is_written(
    api_as, official, monday_hearing, organization, pending_organization
):
    answer = api_as(official).post(
        url(monday_hearing),
        {"organizations": [organization.pk, pending_organization.pk]},
        "json",
    )
    assert answer.status_code == 400
    assert "LSM Baru" in answer.json()["organizations"][0]
    assert not HearingInvitation.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"organizations": []},
        {"organizations": ["x"]},
        {"organizations": [999999]},
        {"organizations": 5},
        {"organizations": list(range(1, 502))},
    ],
    ids=["missing", "empty", "not-an-id", "unknown", "not-a-list", "too-many"],
)
def test_bad_organization_lists_are_refused(api_as, official, monday_hearing, body):
    answer = api_as(official).post(url(monday_hearing), body, "json")
    assert answer.status_code == 400
    assert not HearingInvitation.objects.exists()


def test_sending_twice_is_refused_and_writes_no_second_letter(
    api_as, official, monday_hearing, organization
):
    client = api_as(official)
    assert (
        client.post(url(monday_hearing), {"organizations": [organization.pk]}, "json").status_code
        == 201
    )
    again = client.post(url(monday_hearing), {"organizations": [organization.pk]}, "json")
    assert again.status_code == 409
    assert again.json()["detail"] == "Organisasi ini sudah diundang ke forum ini."
    assert HearingInvitation.objects.filter(hearing=monday_hearing).count() == 1


def test_adding_organizations_later_invites_only_the_new_ones(
    api_as, official, monday_hearing, organization, other_organization
):
    client = api_as(official)
    client.post(url(monday_hearing), {"organizations": [organization.pk]}, "json")
    answer = client.post(
        url(monday_hearing), {"organizations": [organization.pk, other_organization.pk]}, "json"
    )
    assert answer.status_code == 201
    assert [row["organization"]["id"] for row in answer.json()] == [other_organization.pk]
    assert answer.json()[0]["number"] == f"005/{monday_hearing.pk}.2/BAPPEDA/2026"


def test_no_invitations_for_a_hearing_that_has_ended(
    api_as, official, monday_hearing, organization
):
    monday_hearing.status = "ended"
    monday_hearing.save(update_fields=["status"])
    answer = api_as(official).post(
        url(monday_hearing), {"organizations": [organization.pk]}, "json"
    )
    assert answer.status_code == 409
    assert not HearingInvitation.objects.exists()


def test_the_email_goes_out_after_commit_with_the_letter_and_the_calendar_entry(
    api_as,
    official,
    monday_hearing,
    organization,
    representative,
    member,
    django_capture_on_commit_callbacks,
):
    representative.email = "rina@pelita.or.id"
    representative.save(update_fields=["email"])
    member.email = "dedi@pelita.or.id"
    member.save(update_fields=["email"])
    organization.contact_email = "sekretariat@pelita.or.id"
    organization.save(update_fields=["contact_email"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        api_as(official).post(url(monday_hearing), {"organizations": [organization.pk]}, "json")
    assert mail.outbox == []  # nothing is sent inside the request
    for callback in queued:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # The representative answers it and the office's inbox keeps it; members are not mailed.
    assert sorted(message.to) == ["rina@pelita.or.id", "sekretariat@pelita.or.id"]
    assert "Forum Konsultasi Publik Ranperwal RTH" in message.subject
    assert "Undangan" in message.subject  # Indonesian by default
    assert "Senin, 7 Desember 2026" in message.body
    assert "09.00 WIB" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Jawab undangan" in html
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    docx = f"undangan-{monday_hearing.pk}-{organization.pk}.docx"
    ics = f"undangan-{monday_hearing.pk}-{organization.pk}.ics"
    assert set(names) == {docx, ics}
    assert names[docx][1].endswith("wordprocessingml.document")
    assert names[docx][0][:2] == b"PK"
    assert names[ics][1].startswith("text/calendar")
    invitation = HearingInvitation.objects.get()
    assert invitation.emailed_at is not None


def test_a_job_run_again_sends_nothing_twice(invitation, representative):
    representative.email = "rina@pelita.or.id"
    representative.save(update_fields=["email"])
    send_hearing_invitation(invitation.pk)
    send_hearing_invitation(invitation.pk)
    assert len(mail.outbox) == 1


def test_an_organization_without_any_address_gets_no_mail_but_keeps_its_invitation(
    invitation, representative
):
    representative.email = ""
    representative.save(update_fields=["email"])
    send_hearing_invitation(invitation.pk)
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.emailed_at is None


def test_each_representative_reads_it_in_their_own_language(
    invitation, organization, representative
):
    english = MembershipFactory(
        user=UserFactory(username="john", email="john@pelita.or.id"),
        organization=organization,
        role=Membership.Role.REPRESENTATIVE,
    ).user
    NotificationSettings = type(english).notification_settings.related.related_model  # noqa: N806
    NotificationSettings.objects.create(user=english, language="en")
    send_hearing_invitation(invitation.pk)
    messages = {tuple(message.to): message for message in mail.outbox}
    assert set(messages) == {("john@pelita.or.id",), ("rina@example.id",)}
    english_mail = messages[("john@pelita.or.id",)]
    assert english_mail.subject.startswith("Invitation:")
    assert "Monday, 7 December 2026" in english_mail.body
    assert messages[("rina@example.id",)].subject.startswith("Undangan:")
    assert "Senin, 7 Desember 2026" in messages[("rina@example.id",)].body
    for message in mail.outbox:
        assert {name.rsplit(".", 1)[1] for name, _c, _m in message.attachments} == {"docx", "ics"}

"""The undangan page, the replies beside the console's check-in list, and the hearing list."""

import pytest
from django.core import mail

from hearings import invitations
from hearings.models import HearingInvitation


def page(hearing):
    return f"/hearings/{hearing.pk}/undangan/"


def test_official_chooses_organizations_and_sends_from_the_page(
    client,
    official,
    monday_hearing,
    organization,
    other_organization,
    pending_organization,
    representative,
    django_capture_on_commit_callbacks,
):
    client.force_login(official)
    shown = client.get(page(monday_hearing)).content.decode()
    assert "Kirim undangan" in shown
    assert "LSM Harapan Bangsa" in shown and "LSM Pelita Pasuruan" in shown
    assert "LSM Baru" not in shown  # not verified: not offered
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(page(monday_hearing), {"org": [organization.pk]}, follow=True)
    text = answer.content.decode()
    assert "Undangan dikirim ke 1 organisasi." in text
    assert HearingInvitation.objects.get().organization == organization
    assert "Belum dijawab" in text
    assert [message.to for message in mail.outbox] == [["rina@example.id"]]


def test_sending_nothing_or_again_shows_the_reason(client, official, monday_hearing, invitation):
    client.force_login(official)
    text = client.post(page(monday_hearing), {}, follow=True).content.decode()
    assert "Pilih sedikitnya satu organisasi." in text
    text = client.post(
        page(monday_hearing), {"org": [invitation.organization_id]}, follow=True
    ).content.decode()
    assert "Organisasi ini sudah diundang ke forum ini." in text
    assert HearingInvitation.objects.count() == 1


@pytest.mark.parametrize("persona", ["moderator", "representative"])
def test_only_officials_get_the_form_and_a_post_is_refused(
    request, client, persona, monday_hearing, invitation, other_organization
):
    client.force_login(request.getfixturevalue(persona))
    assert "Kirim undangan" not in client.get(page(monday_hearing)).content.decode()
    text = client.post(page(monday_hearing), {"org": [other_organization.pk]}, follow=True)
    assert "Hanya pejabat yang dapat mengirim undangan forum." in text.content.decode()
    assert HearingInvitation.objects.count() == 1


def test_representative_answers_on_the_page(client, representative, monday_hearing, invitation):
    client.force_login(representative)
    shown = client.get(page(monday_hearing)).content.decode()
    assert "Apakah organisasi Anda akan hadir?" in shown
    assert invitation.number in shown
    answer = client.post(
        f"/undangan/{invitation.pk}/balas/",
        {"reply": "diwakili", "delegate_name": "Bu Siti"},
        follow=True,
    )
    text = answer.content.decode()
    assert "Jawaban Anda sudah dicatat." in text
    assert "Diwakili" in text and "Bu Siti" in text
    invitation.refresh_from_db()
    assert invitation.reply == "diwakili"


def test_a_bad_answer_on_the_page_says_why(client, representative, monday_hearing, invitation):
    client.force_login(representative)
    text = client.post(
        f"/undangan/{invitation.pk}/balas/", {"reply": "diwakili"}, follow=True
    ).content.decode()
    assert "Sebutkan nama orang yang hadir mewakili Anda." in text
    invitation.refresh_from_db()
    assert invitation.reply == "pending"


def test_members_see_the_invitation_without_the_reply_form(
    client, member, monday_hearing, invitation
):
    client.force_login(member)
    shown = client.get(page(monday_hearing)).content.decode()
    assert invitation.number in shown
    assert "Apakah organisasi Anda akan hadir?" not in shown


def test_another_organization_sees_nothing_of_it_and_cannot_answer_it(
    client, other_representative, monday_hearing, invitation
):
    client.force_login(other_representative)
    shown = client.get(page(monday_hearing)).content.decode()
    assert "Organisasi Anda tidak diundang ke forum ini." in shown
    assert "LSM Pelita Pasuruan" not in shown
    answer = client.post(f"/undangan/{invitation.pk}/balas/", {"reply": "hadir"})
    assert answer.status_code == 404
    invitation.refresh_from_db()
    assert invitation.reply == "pending"


def test_anonymous_visitors_sign_in_first(client, monday_hearing, invitation):
    answer = client.get(page(monday_hearing))
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_the_console_shows_the_replies_beside_the_check_in_list(
    client, moderator, official, monday_hearing, invitation, representative, organization
):
    invitations.hearing_invitation_reply(
        actor=representative, invitation=invitation, reply="hadir", delegate_name="Rina"
    )
    client.force_login(moderator)
    text = client.get(f"/hearings/{monday_hearing.pk}/console/").content.decode()
    replies = text[text.index("Jawaban undangan") :]
    assert "LSM Pelita Pasuruan" in replies
    assert "Hadir: Rina" in replies
    assert f"/hearings/{monday_hearing.pk}/undangan/" in replies


def test_the_hearing_list_shows_the_organizations_invitations(
    client, representative, monday_hearing, invitation
):
    client.force_login(representative)
    text = client.get("/hearings/").content.decode()
    assert "Undangan untuk organisasi Anda" in text
    assert f"/hearings/{monday_hearing.pk}/undangan/#undangan-{invitation.pk}" in text


def test_the_hearing_list_shows_staff_no_organization_invitations(
    client, official, monday_hearing, invitation
):
    client.force_login(official)
    assert "Undangan untuk organisasi Anda" not in client.get("/hearings/").content.decode()


def test_a_member_is_told_that_the_representative_answers(
    client, member, monday_hearing, invitation
):
    client.force_login(member)
    text = client.get(page(monday_hearing)).content.decode()
    assert "Hanya perwakilan organisasi yang dapat menjawab undangan." in text
    assert 'name="reply"' not in text


def test_whether_the_e_mail_left_is_for_the_officials_only(
    client, official, representative, monday_hearing, invitation
):
    client.force_login(representative)
    assert "surel menunggu dikirim" not in client.get(page(monday_hearing)).content.decode()
    client.force_login(official)
    assert "surel menunggu dikirim" in client.get(page(monday_hearing)).content.decode()


def test_the_delegate_stands_under_the_organization_s_name(
    client, representative, monday_hearing, invitation
):
    invitations.hearing_invitation_reply(
        actor=representative, invitation=invitation, reply="diwakili", delegate_name="Bu Siti"
    )
    client.force_login(representative)
    text = client.get(page(monday_hearing)).content.decode()
    name = text[text.index('<span class="name">') :]
    assert name.index("Bu Siti") < name.index('class="badge reply-diwakili"')

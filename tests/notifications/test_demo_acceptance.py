"""Issue 18, done means: on the demo, the moderator rejects `pelita.anggota`'s comment with a
reason from the moderation page, and `pelita.anggota` sees it in the bell and in a mail file
under var/mail/ (the demo's default: the file backend)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from comments import services as comment_services
from comments.models import Comment
from consultations.models import Consultation

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_rejected_comment_reaches_pelita_anggota_in_the_bell_and_a_mail_file(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "var" / "mail")
    call_command("load_demo", verbosity=0)
    pelita = User.objects.get(username="pelita.anggota")
    moderator = User.objects.get(username="moderator")
    rpjmd = Consultation.objects.filter(moderation="pre", status="open").first()
    comment = comment_services.comment_create(
        actor=pelita,
        consultation=rpjmd,
        stance="neutral",
        body="Kunjungi toko daring kami untuk promo akhir tahun.",
    )
    assert comment.status == Comment.Status.PENDING

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/komentar/{comment.pk}/moderasi/",
            {"action": "reject", "reason": "Promosi usaha, bukan masukan atas RPJMD."},
        )

    client.force_login(pelita)
    page = client.get("/").content.decode()
    assert 'class="bell has-unread"' in page
    listing = client.get("/notifikasi/").content.decode()
    assert "Alasan moderator: Promosi usaha, bukan masukan atas RPJMD." in listing
    files = list((tmp_path / "var" / "mail").glob("*.log"))
    assert files, "no mail file written"
    text = "\n".join(path.read_text() for path in files)
    assert "Promosi usaha, bukan masukan atas RPJMD." in text
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text


def test_the_demo_command_says_where_the_mail_goes(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "var" / "mail")
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert f"E-mail (notifications): written as files to {tmp_path}/var/mail/" in out.getvalue()

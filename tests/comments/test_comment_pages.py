import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from comments import moderation, responses, services
from comments.models import Comment, Response

pytestmark = pytest.mark.django_db


def thread_url(consultation, section=None):
    if section is None:
        return reverse("consultation-comments", args=[consultation.pk])
    return reverse("section-comments", args=[consultation.pk, section.pk])


@pytest.fixture
def browser_as(client):
    def login(user):
        if user is not None and user.is_authenticated:
            client.force_login(user)
        return client

    return login


def test_anyone_reads_a_section_thread_with_counts(browser_as, published_comment, pasal_1):
    page = browser_as(None).get(thread_url(pasal_1.consultation, pasal_1))
    html = page.content.decode()
    assert page.status_code == 200
    assert "definisi &#x27;warga&#x27; perlu diperjelas" in html
    assert "Log in" in html or "Masuk" in html


def test_member_posts_a_comment_from_the_form(browser_as, member, open_consultation, pasal_3):
    page = browser_as(member).post(
        thread_url(open_consultation, pasal_3), {"stance": "support", "body": "Setuju,\nlanjut."}
    )
    comment = Comment.objects.get()
    assert page.status_code == 302
    assert page["Location"].endswith(f"#komentar-{comment.pk}")
    assert (comment.section, comment.body) == (pasal_3, "Setuju,\nlanjut.")
    followed = browser_as(member).get(page["Location"])
    assert "Setuju,<br>lanjut." in followed.content.decode()


def test_member_replies_from_the_thread(browser_as, member, published_comment, pasal_1):
    page = browser_as(member).post(
        thread_url(pasal_1.consultation, pasal_1),
        {"stance": "neutral", "body": "Menanggapi.", "parent": str(published_comment.pk)},
    )
    assert page.status_code == 302
    assert Comment.objects.get(parent=published_comment).section == pasal_1


def test_a_refused_comment_keeps_the_typed_text_and_says_why(
    browser_as, member, open_consultation, pasal_3
):
    typed = "Teks panjang yang tidak boleh hilang. " + "x" * 5000
    page = browser_as(member).post(
        thread_url(open_consultation, pasal_3), {"stance": "oppose", "body": typed}
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert typed in html
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    assert not Comment.objects.exists()


def test_missing_stance_is_400_with_the_text_kept(browser_as, member, open_consultation):
    page = browser_as(member).post(thread_url(open_consultation), {"body": "Tanpa sikap."})
    assert page.status_code == 400
    assert "Tanpa sikap." in page.content.decode()


def test_a_closed_consultation_shows_no_form_and_refuses_with_409(
    browser_as, member, closed_consultation
):
    url = thread_url(closed_consultation)
    assert "comment-form" not in browser_as(member).get(url).content.decode()
    page = browser_as(member).post(url, {"stance": "support", "body": "Terlambat."})
    assert page.status_code == 409
    assert "Terlambat." in page.content.decode()


def test_rate_limited_page_answers_429_with_retry_after(
    browser_as, member, open_consultation, monkeypatch
):
    monkeypatch.setattr(services, "_clock", lambda: 1_800_000_030.0)
    client = browser_as(member)
    for n in range(5):
        client.post(thread_url(open_consultation), {"stance": "support", "body": f"Nomor {n}"})
    page = client.post(thread_url(open_consultation), {"stance": "support", "body": "Keenam"})
    assert page.status_code == 429
    assert page["Retry-After"] == "30"
    assert "Keenam" in page.content.decode()


def test_anonymous_post_goes_to_login(browser_as, open_consultation):
    page = browser_as(None).post(thread_url(open_consultation), {"stance": "support", "body": "x"})
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]
    assert not Comment.objects.exists()


def test_stance_filter_shows_only_that_stance(browser_as, open_consultation, member, post, pasal_1):
    post(member, open_consultation, section=pasal_1, stance="support", body="Dukungan penuh.")
    post(member, open_consultation, section=pasal_1, stance="oppose", body="Penolakan keras.")
    html = browser_as(None).get(thread_url(open_consultation, pasal_1) + "?stance=oppose")
    assert "Penolakan keras." in html.content.decode()
    assert "Dukungan penuh." not in html.content.decode()


def test_others_pending_comments_do_not_show_in_the_thread(
    browser_as, pending_comment, pre_consultation, citizen, member
):
    section = pre_consultation.sections.get()
    assert (
        pending_comment.body
        not in browser_as(citizen).get(thread_url(pre_consultation, section)).content.decode()
    )


def test_author_sees_their_pending_comment_marked(browser_as, pending_comment, member):
    section = pending_comment.section
    html = browser_as(member).get(thread_url(section.consultation, section)).content.decode()
    assert pending_comment.body in html
    assert "status-pending" in html


def test_report_from_the_page(browser_as, citizen, published_comment):
    page = browser_as(citizen).post(
        reverse("comment-report", args=[published_comment.pk]), {"reason": "Spam."}
    )
    assert page.status_code == 302
    assert published_comment.reports.count() == 1


def test_author_deletes_from_the_page(browser_as, member, published_comment):
    page = browser_as(member).post(reverse("comment-delete", args=[published_comment.pk]))
    assert page.status_code == 302
    assert not Comment.objects.exists()


def test_author_edits_from_the_page(browser_as, member, published_comment):
    url = reverse("comment-edit", args=[published_comment.pk])
    assert browser_as(member).get(url).status_code == 200
    page = browser_as(member).post(url, {"stance": "question", "body": "Versi baru."})
    assert page.status_code == 302
    published_comment.refresh_from_db()
    assert published_comment.body == "Versi baru."


def test_someone_elses_comment_has_no_edit_page(browser_as, citizen, published_comment):
    url = reverse("comment-edit", args=[published_comment.pk])
    assert browser_as(citizen).get(url).status_code == 404


def test_moderator_approves_from_the_queue_in_one_click(browser_as, moderator, pending_comment):
    client = browser_as(moderator)
    queue = client.get(reverse("moderation-queue"))
    assert pending_comment.body in queue.content.decode()
    page = client.post(
        reverse("comment-moderate", args=[pending_comment.pk]), {"action": "approve"}
    )
    assert page.status_code == 302
    pending_comment.refresh_from_db()
    assert pending_comment.is_published
    assert pending_comment.body not in client.get(reverse("moderation-queue")).content.decode()


def test_moderator_hides_with_a_reason_in_one_click(browser_as, moderator, published_comment):
    browser_as(moderator).post(
        reverse("comment-moderate", args=[published_comment.pk]),
        {"action": "hide", "reason": "Di luar topik."},
    )
    published_comment.refresh_from_db()
    assert published_comment.status == "hidden"


def test_hide_without_reason_explains_and_changes_nothing(browser_as, moderator, published_comment):
    page = browser_as(moderator).post(
        reverse("comment-moderate", args=[published_comment.pk]), {"action": "hide"}, follow=True
    )
    assert page.status_code == 200
    published_comment.refresh_from_db()
    assert published_comment.is_published


@pytest.mark.parametrize("persona", ["member", "citizen", "planner"])
def test_the_queue_is_for_moderators(persona, request, browser_as):
    page = browser_as(request.getfixturevalue(persona)).get(reverse("moderation-queue"))
    assert page.status_code == 403


def test_members_cannot_moderate_by_posting(browser_as, member, pending_comment):
    page = browser_as(member).post(
        reverse("comment-moderate", args=[pending_comment.pk]), {"action": "approve"}
    )
    assert page.status_code == 403
    pending_comment.refresh_from_db()
    assert pending_comment.status == "pending"


def test_my_comments_shows_the_decision_and_its_reason(
    browser_as, member, moderator, published_comment
):
    moderation.comment_hide(actor=moderator, comment=published_comment, reason="Bahasa kasar.")
    html = browser_as(member).get(reverse("my-comments")).content.decode()
    assert "Bahasa kasar." in html
    assert "status-hidden" in html


def test_response_matrix_is_internal_before_conclusion(
    browser_as, citizen, official, published_comment, open_consultation
):
    url = reverse("response-matrix", args=[open_consultation.pk])
    assert browser_as(citizen).get(url).status_code == 404
    assert browser_as(official).get(url).status_code == 200


def test_official_answers_and_publishes_from_the_matrix(
    browser_as, official, published_comment, open_consultation
):
    client = browser_as(official)
    client.post(
        reverse("comment-respond", args=[open_consultation.pk]),
        {"comment": published_comment.pk, "outcome": "accepted", "body": "Diterima."},
    )
    response = Response.objects.get()
    assert response.published_at is None
    client.post(reverse("responses-publish", args=[open_consultation.pk]))
    response.refresh_from_db()
    assert response.published_at is not None


def test_concluded_matrix_is_public_and_shows_published_responses(
    browser_as, official, published_comment, open_consultation, anonymous
):
    responses.response_create(
        actor=official,
        comment=published_comment,
        outcome="accepted",
        body="Kami ubah.",
        publish=True,
    )
    open_consultation.status = "concluded"
    open_consultation.save()
    html = browser_as(None).get(reverse("response-matrix", args=[open_consultation.pk]))
    assert html.status_code == 200
    assert "Kami ubah." in html.content.decode()
    assert "comment-respond" not in html.content.decode()


def test_section_footer_shows_counts_and_the_thread_link(
    open_consultation, pasal_1, member, post, anonymous, django_assert_max_num_queries
):
    post(member, open_consultation, section=pasal_1, stance="oppose")
    request = RequestFactory().get("/")
    request.user = anonymous
    template = Template(
        "{% for section in sections %}"
        '{% include "consultations/_section_footer.html" %}'
        "{% endfor %}"
    )
    sections = list(open_consultation.sections.all())
    with django_assert_max_num_queries(1):
        html = template.render(Context({"sections": sections, "request": request}))
    assert thread_url(open_consultation, pasal_1) in html
    assert html.count("comments.css") == 1
    assert "1 oppose" in html or "1 menolak" in html.lower()

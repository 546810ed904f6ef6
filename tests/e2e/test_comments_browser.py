"""A demo LSM member comments from a phone; a moderator approves a pending RPJMD comment."""

import re

PHONE = {"width": 390, "height": 844}


def consultation_id(page, needle: str) -> int:
    rows = page.request.get("/api/v1/consultations/?page_size=100").json()["results"]
    return next(row["id"] for row in rows if needle in row["title"])


def test_member_comments_on_pasal_3_from_a_phone_and_sees_it(new_page, login):
    page = new_page(**PHONE)
    login(page, "pelita")
    policy = consultation_id(page, "Partisipasi Publik dalam Penyusunan Kebijakan")
    page.goto(f"/konsultasi/{policy}/")
    page.locator("#pasal-3 a.thread-link").click()
    page.wait_for_url(re.compile(r"/bagian/\d+/komentar/"))

    body = "Mohon rancangan juga diumumkan lewat pengeras suara masjid dan papan kelurahan."
    page.locator("form.comment-form").first.locator("label.stance-choice.stance-question").click()
    textarea = page.locator("#body-new")
    textarea.fill(body)
    assert page.locator("#counter-new .count").inner_text() == str(len(body))
    page.locator("form.comment-form").first.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r"#komentar-\d+$"))
    comment = page.locator("article.comment", has_text=body)
    comment.wait_for()
    assert "LSM Pelita Pasuruan" in comment.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_refused_comment_keeps_the_typed_text(new_page, login):
    page = new_page(**PHONE)
    login(page, "fwpl")
    policy = consultation_id(page, "Partisipasi Publik dalam Penyusunan Kebijakan")
    page.goto(f"/konsultasi/{policy}/komentar/")
    page.fill("#body-new", "Tanpa memilih sikap, teks ini harus tetap ada.")
    page.locator("form.comment-form").first.locator("button[type=submit]").click()
    page.locator(".form-error").wait_for()
    assert page.input_value("#body-new") == "Tanpa memilih sikap, teks ini harus tetap ada."


def test_moderator_approves_a_pending_rpjmd_comment(new_page, login):
    page = new_page(width=1280, height=900)
    login(page, "moderator")
    rpjmd = consultation_id(page, "RPJMD")
    page.goto(f"/moderasi/?consultation={rpjmd}")
    pending = page.locator("li.queue-item.is-pending").first
    text = pending.locator(".comment-body").inner_text()
    pending.locator("button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages").count() == 1
    assert page.locator("li.queue-item", has_text=text).count() == 0

    reader = new_page(**PHONE)
    rows = reader.request.get(f"/api/v1/comments/?consultation={rpjmd}&page_size=200").json()
    approved = next(row for row in rows["results"] if row["body"] == text)
    reader.goto(f"/konsultasi/{rpjmd}/bagian/{approved['section']}/komentar/")
    assert reader.locator("article.comment", has_text=text).count() == 1

"""A visitor on a phone reads the policy draft, switches to English and signs in as an LSM."""

import re

from playwright.sync_api import expect


def test_visitor_reads_the_policy_draft_on_a_phone_then_signs_in_as_pelita(new_page, login):
    page = new_page(width=390, height=844)
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Sampaikan pendapat Anda")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.get_by_role(
        "link", name="Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi"
    ).click()
    expect(page.locator("h1")).to_contain_text("Partisipasi Publik dalam Penyusunan Kebijakan")

    page.locator(".toc").get_by_role("link", name="Pasal 3").click()
    expect(page).to_have_url(re.compile(r"#pasal-3$"))
    pasal_3 = page.locator("#pasal-3")
    expect(pasal_3).to_be_in_viewport()
    expect(pasal_3.locator("ins").first).to_be_visible()  # version 2 changed this article

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".toc h2")).to_have_text("Contents")

    login(page, "pelita")
    page.locator(".account-menu summary").click()  # the personal links sit in one menu
    page.get_by_role("link", name="My organization").click()
    expect(page.locator("h1")).to_contain_text("LSM Pelita Pasuruan")
    expect(page.locator(".members")).to_contain_text("@pelita.anggota")
    expect(page.get_by_role("button", name="Invite member")).to_be_visible()

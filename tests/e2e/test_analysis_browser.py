"""A demo planner on the RPJMD dashboard: the themes and the traders' campaign are there from
the first start; a comment published on the policy draft shows up in the figures live."""

POLICY = "Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi Publik"
RPJMD = "Konsultasi Publik Rancangan Awal RPJMD"


def consultation_id(page, title: str) -> int:
    results = page.request.get("/api/v1/consultations/?page_size=100").json()["results"]
    return next(c["id"] for c in results if c["title"].startswith(title))


def test_the_demo_dashboard_shows_themes_and_the_campaign(new_page, login):
    page = new_page(390, 844)
    login(page, "planner")
    page.goto(f"/konsultasi/{consultation_id(page, RPJMD)}/dasbor/#analisis")
    section = page.locator("#analisis")
    assert "Tema dan kampanye" in section.inner_text()
    campaign = section.locator("li.group.is-campaign").first
    assert "12 komentar hampir sama" in campaign.inner_text()
    assert section.locator("li.theme").count() >= 2
    box = section.bounding_box()
    assert box["x"] + box["width"] <= 390  # fits a phone


def test_comment_figures_move_without_a_reload(new_page, login):
    page = new_page(1280, 900)
    login(page, "planner")
    consultation = consultation_id(page, POLICY)
    page.goto(f"/konsultasi/{consultation}/dasbor/")
    page.evaluate("window.notReloaded = true")
    before = page.inner_text("#sections-title")

    writer = new_page()
    token = writer.request.post(
        "/api/v1/auth/token/", data={"username": "fwpl", "password": "demo12345"}
    ).json()["token"]
    posted = writer.request.post(
        "/api/v1/comments/",
        data={
            "consultation": consultation,
            "stance": "question",
            "body": "Apakah forum konsultasi juga disiarkan langsung untuk warga?",
        },
        headers={"Authorization": f"Token {token}"},
    )
    assert posted.ok, posted.text()

    page.wait_for_function(
        f"() => document.getElementById('sections-title').textContent !== {before!r}",
        timeout=20_000,
    )
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#analysis-status.status-stale").count() == 1

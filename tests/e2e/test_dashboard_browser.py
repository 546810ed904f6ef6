"""A demo planner watches the dashboard while an organization votes, then downloads the exports."""

import csv
import io

import openpyxl

POLICY = "Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi Publik"


def policy_consultation(page) -> dict:
    results = page.request.get("/api/v1/consultations/?page_size=100").json()["results"]
    return next(c for c in results if c["title"].startswith(POLICY))


def count(page, item, choice) -> int:
    return int(page.inner_text(f'tr[data-item="{item}"] td[data-choice="{choice}"] .n'))


def test_planner_sees_tallies_move_and_the_exports_match(new_page, login):
    page = new_page(1280, 900)
    login(page, "planner")
    consultation = policy_consultation(page)
    page.goto(f"/konsultasi/{consultation['id']}/dasbor/")
    item = page.get_attribute("tr[data-item]", "data-item")
    page.evaluate("window.notReloaded = true")

    voter = new_page()
    token = voter.request.post(
        "/api/v1/auth/token/", data={"username": "fwpl", "password": "demo12345"}
    ).json()["token"]
    headers = {"Authorization": f"Token {token}"}
    current = voter.request.get(f"/api/v1/items/{item}/vote/", headers=headers)
    previous = current.json().get("choice") if current.ok else None
    choice = "against" if previous == "for" else "for"
    before = count(page, item, choice)
    answer = voter.request.put(
        f"/api/v1/items/{item}/vote/", data={"choice": choice}, headers=headers
    )
    assert answer.ok, answer.text()

    page.wait_for_function(
        f"""() => Number(document.querySelector(
           'tr[data-item="{item}"] td[data-choice="{choice}"] .n').textContent) === {before + 1}"""
    )
    assert page.evaluate("window.notReloaded") is True
    shown = {c: count(page, item, c) for c in ("for", "against", "abstain")}

    with page.expect_download() as download_xlsx:
        page.click("a[href$='export.xlsx']")
    assert download_xlsx.value.suggested_filename.endswith(".xlsx")
    with open(download_xlsx.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    title = page.inner_text(f'tr[data-item="{item}"] th')
    row = next(r for r in book["Ringkasan"].iter_rows(values_only=True) if r and r[0] in title)
    assert list(row[2:5]) == [shown["for"], shown["against"], shown["abstain"]]

    with page.expect_download() as download_csv:
        page.click("a[href$='export.csv']")
    with open(download_csv.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    heading = page.inner_text("#sections-title")
    assert str(len(rows) - 1) in heading

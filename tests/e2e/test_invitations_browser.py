"""Undangan in Chromium: Bappeda invites LSM Pelita Pasuruan to a hearing from the hearing's
invitations page; Pelita's representative finds the invitation on the hearing list, opens
it, downloads the letter (.docx) and the calendar entry (.ics) and answers that Pelita
attends; Bappeda's page and console show the answer. The representative's page fits a
390 px phone and a 1366 px desktop, in Indonesian and in English, with every label in the
page's language and no error in the browser's console.

Each test schedules its own hearing through the API (there is no page to schedule one), so
the invitation is always new and the demo hearing the other tests use stays as it was.
"""

import datetime
import re
import uuid
import zipfile
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from backend.templatetags.waktu import waktu
from demo.hearings import HEARING_TITLE
from hearings.models import HearingInvitation

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
WIB = ZoneInfo("Asia/Jakarta")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PELITA = "LSM Pelita Pasuruan"
TEMPLATE = Path(__file__).resolve().parents[2] / "hearings/templates/hearings/invitations.html"


def call(page, method: str, path: str, data=None):
    """The API as the page's signed-in user (session cookie + CSRF header)."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.fetch(
        path, method=method, data=data, headers={"X-CSRFToken": token, "Referer": page.url}
    )


def watch_console(page) -> list[str]:
    """Every console error and uncaught exception of the page, as it happens."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def schedule_hearing(official) -> dict:
    """A new hearing on the demo hearing's consultation, two weeks ahead at 09.00 WIB."""
    hearings = official.request.get("/api/v1/hearings/?page_size=200").json()["results"]
    consultation = next(h for h in hearings if h["title"] == HEARING_TITLE)["consultation"]
    starts_at = datetime.datetime.now(WIB).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=14)
    response = call(
        official,
        "POST",
        "/api/v1/hearings/",
        {
            "consultation": consultation,
            "title": f"Rapat Dengar Pendapat Ranperwal Partisipasi sesi {uuid.uuid4().hex[:6]}",
            "starts_at": starts_at.isoformat(),
            "location": "Ruang Rapat Bappeda Kota Pasuruan",
        },
    )
    assert response.status == 201, response.text()
    return {**response.json(), "starts_at": starts_at}


def when(hearing: dict, language: str) -> str:
    """The hearing's start as the page writes it ("21 Desember 2026, 09.00 WIB")."""
    with translation.override(language):
        return waktu(hearing["starts_at"])


def labels() -> tuple[set[str], set[str]]:
    """The page's own labels, (English, Indonesian), where the two differ: each one may show
    only on the page in its language."""
    template = TEMPLATE.read_text()
    strings = set(re.findall(r'{% translate "([^"]+)" %}', template))
    strings |= set(re.findall(r"{% translate '([^']+)' %}", template))
    with translation.override("en"):
        strings |= {str(label) for _value, label in HearingInvitation.Reply.choices}
    strings.add("Your answer was recorded.")
    pairs = set()
    for english in strings:
        with translation.override("id"):
            indonesian = gettext(english)
        if indonesian != english and min(len(english), len(indonesian)) >= 8:
            pairs.add((english, indonesian))
    return {e for e, _i in pairs}, {i for _e, i in pairs}


def assert_in_its_language(page, language: str) -> None:
    english, indonesian = labels()
    text = page.inner_text("main")
    foreign = indonesian if language == "en" else english
    assert [label for label in foreign if label in text] == [], f"{language} page: {text}"
    assert page.get_attribute("html", "lang") == language


def assert_fits(page) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, innerWidth]"
    )
    assert scroll_width <= inner_width, f"{page.url} is {scroll_width} px wide in {inner_width}"


@pytest.fixture
def official(new_page, login):
    page = new_page(**DESKTOP)
    page.errors = watch_console(page)
    return login(page, "bappeda")


def test_bappeda_invites_pelita_and_its_representative_answers_that_pelita_attends(
    new_page, login, official, tmp_path
):
    hearing = schedule_hearing(official)

    # Bappeda opens the hearing's invitations page from its console and invites Pelita.
    official.goto(f"/hearings/{hearing['id']}/console/")
    official.locator("a", has_text="Undangan").first.click()
    expect(official.locator("h1")).to_have_text("Undangan")
    expect(official.locator("#replies-h + .empty")).to_have_text(
        "Belum ada organisasi yang diundang."
    )
    official.get_by_label(PELITA).check()
    official.get_by_role("button", name="Kirim undangan").click()
    expect(official.locator(".messages")).to_contain_text("Undangan dikirim ke 1 organisasi.")
    row = official.locator("ul.undangan li", has_text=PELITA)
    expect(row.locator(".badge")).to_have_text("Belum dijawab")
    expect(official.locator(".org-choices")).not_to_contain_text(PELITA)

    # Pelita's representative finds it on the hearing list, on a phone.
    representative = new_page(**PHONE)
    errors = watch_console(representative)
    login(representative, "pelita")
    representative.goto("/hearings/")
    mine = representative.locator("section[aria-labelledby=my-undangan-h]")
    expect(mine.locator("h2")).to_have_text("Undangan untuk organisasi Anda")
    mine.get_by_role("link", name=hearing["title"]).click()
    expect(representative.locator("h1")).to_have_text("Undangan")
    expect(representative.locator("p.meta")).to_contain_text(hearing["title"])
    expect(representative.locator("p.meta")).to_contain_text(when(hearing, "id"))
    invitation = representative.locator("ul.undangan li")
    expect(invitation).to_have_count(1)
    expect(invitation.locator(".name")).to_contain_text(PELITA)
    expect(invitation.locator(".badge")).to_have_text("Belum dijawab")

    # The letter and the calendar entry, from the page's own links.
    letter_href = invitation.get_by_role("link", name="Surat (.docx)").get_attribute("href")
    letter = representative.context.request.get(letter_href)
    assert letter.status == 200
    assert letter.headers["content-type"] == DOCX
    assert re.search(r'filename="undangan-\d+-\d+\.docx"', letter.headers["content-disposition"])
    with zipfile.ZipFile(BytesIO(letter.body())) as document:
        body = document.read("word/document.xml").decode()
    assert PELITA in body and hearing["title"] in body
    ics_href = invitation.get_by_role("link", name="Kalender (.ics)").get_attribute("href")
    calendar = representative.context.request.get(ics_href)
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar.text()

    # The representative answers: Pelita attends, Rina herself.
    representative.screenshot(path=tmp_path / "pelita-id-390-before.png", full_page=True)
    invitation.get_by_label("Hadir", exact=True).check()
    invitation.get_by_label("Nama yang hadir").fill("Rina Wulandari")
    invitation.get_by_role("button", name="Kirim jawaban").click()
    expect(representative.locator(".messages")).to_have_text("Jawaban Anda sudah dicatat.")
    expect(invitation.locator(".badge")).to_have_text("Hadir")
    expect(invitation).to_contain_text("Yang hadir: Rina Wulandari")
    expect(invitation.get_by_label("Hadir", exact=True)).to_be_checked()
    assert_fits(representative)
    representative.screenshot(path=tmp_path / "pelita-id-390-after.png", full_page=True)

    # Bappeda sees the answer on the invitations page and beside the console's check-in.
    official.reload()
    expect(row.locator(".badge")).to_have_text("Hadir")
    expect(row).to_contain_text("Yang hadir: Rina Wulandari")
    official.screenshot(path=tmp_path / "bappeda-id-1366.png", full_page=True)
    official.goto(f"/hearings/{hearing['id']}/console/")
    expect(official.locator(".invitation-replies")).to_contain_text(
        f"{PELITA} (Hadir: Rina Wulandari)"
    )
    assert errors == [] and official.errors == []


# What the representative reads, in each language.
SAYS = {
    "id": {
        "heading": "Undangan untuk organisasi Anda",
        "pending": "Belum dijawab",
        "delegate": "Diwakili",
        "send": "Kirim jawaban",
        "recorded": "Jawaban Anda sudah dicatat.",
        "attending": "Yang hadir:",
    },
    "en": {
        "heading": "Your organization's invitation",
        "pending": "No answer yet",
        "delegate": "Represented by a delegate",
        "send": "Send the answer",
        "recorded": "Your answer was recorded.",
        "attending": "Attending:",
    },
}
DELEGATE = "Dr. Hj. Siti Nurhayati Kusumawardhani, S.Sos., M.Si. (Sekretaris LSM Pelita)"


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_representative_s_invitation_page_fits_and_speaks_its_language(
    new_page, login, official, viewport, language, tmp_path
):
    says = SAYS[language]
    hearing = schedule_hearing(official)
    organizations = official.request.get("/api/v1/organizations/?page_size=100").json()
    pelita = next(o for o in organizations["results"] if o["name"] == PELITA)
    invited = call(
        official,
        "POST",
        f"/api/v1/hearings/{hearing['id']}/invitations/",
        {"organizations": [pelita["id"]]},
    )
    assert invited.status == 201, invited.text()

    page = new_page(**viewport)
    errors = watch_console(page)
    login(page, "pelita")
    page.goto(f"/hearings/{hearing['id']}/undangan/")
    if language == "en":  # the header's language switch, as a visitor would
        page.locator("header.site .lang button").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#replies-h")).to_have_text(says["heading"])
    expect(page.locator("p.meta")).to_contain_text(when(hearing, language))
    invitation = page.locator("ul.undangan li")
    expect(invitation.locator(".badge")).to_have_text(says["pending"])
    assert_in_its_language(page, language)
    assert_fits(page)
    shot = f"pelita-{language}-{viewport['width']}"
    page.screenshot(path=tmp_path / f"{shot}-before.png", full_page=True)

    # A delegate with a long name and titles comes in Pelita's place.
    invitation.get_by_label(says["delegate"], exact=True).check()
    invitation.get_by_role("textbox").fill(DELEGATE)
    invitation.get_by_role("button", name=says["send"]).click()
    expect(page.locator(".messages")).to_have_text(says["recorded"])
    expect(invitation.locator(".badge")).to_have_text(says["delegate"])
    expect(invitation).to_contain_text(f"{says['attending']} {DELEGATE}")
    expect(invitation.get_by_label(says["delegate"], exact=True)).to_be_checked()
    assert_in_its_language(page, language)
    assert_fits(page)
    page.screenshot(path=tmp_path / f"{shot}-after.png", full_page=True)
    assert errors == [] and official.errors == []

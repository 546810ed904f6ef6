"""Error pages speak the page's language, Django's English CSRF page included (issue 17)."""

from django.test import Client


def test_a_form_without_its_csrf_token_gets_an_indonesian_page(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    answer = client.post("/organisasi/daftar/", {"name": "LSM Tanpa Token"})
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "Formulir ini sudah kedaluwarsa" in html
    assert "CSRF verification failed" not in html


def test_a_missing_page_is_indonesian_and_english_on_request(db):
    client = Client()
    assert "Halaman yang Anda cari tidak ada." in client.get("/tidak-ada/").content.decode()
    client.cookies["django_language"] = "en"
    assert (
        "The page you are looking for does not exist." in client.get("/tidak-ada/").content.decode()
    )

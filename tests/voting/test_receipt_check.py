"""Issue 14, requirement 5: "Periksa tanda terima". Anyone pastes a receipt and learns
whether it is in a chain (which consultation, where) and whether it still stands; the page
at /tanda-terima/ and `GET /api/v1/receipts/{hash}/` say the same. Under a secret ballot
still open the published log carries every hash, so answering more than "recorded" to
anyone would rebuild the counts: only the organization's own members see the rest, and
nobody the choice. Bad input answers 400 or 404 with a message, never 500."""

import pytest
from django.test import Client

from consultations import services as consultation_services
from tests.voting.conftest import representatives
from voting import payloads, services
from voting.models import VoteChain, VoteRecord

pytestmark = pytest.mark.django_db

WITHHELD = ("item", "action", "at", "current", "choice", "organization")


def check(api_as, user, receipt):
    return api_as(user).get(f"/api/v1/receipts/{receipt}/")


def page(user, receipt=None, *, language=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client.get("/tanda-terima/", {"receipt": receipt} if receipt is not None else {})


def test_an_open_ballot_receipt_says_where_what_and_that_it_stands(
    api_as, representative, organization, stance_item
):
    vote = services.vote_cast(actor=representative, item=stance_item, choice="for")

    body = check(api_as, None, vote.receipt).json()

    assert tuple(body) == payloads.RECEIPT
    assert body["consultation"] == {
        "id": stance_item.consultation_id,
        "title": stance_item.consultation.title,
    }
    assert body["seq"] == 1
    assert body["chain"] == {"length": 1, "head": vote.receipt}
    assert body["item"] == {"id": stance_item.pk, "title": stance_item.title}
    assert (body["action"], body["choice"], body["current"]) == ("cast", "for", True)
    assert body["organization"] == {"id": organization.pk, "name": organization.name}
    assert body["sealed"] is False


def test_a_changed_vote_leaves_the_old_receipt_replaced_and_the_new_one_current(
    api_as, representative, stance_item
):
    first = services.vote_cast(actor=representative, item=stance_item, choice="for").receipt
    second = services.vote_cast(actor=representative, item=stance_item, choice="against").receipt
    withdrawn = services.vote_withdraw(actor=representative, item=stance_item).hash

    assert check(api_as, None, first).json()["current"] is False
    assert check(api_as, None, second).json()["current"] is False
    body = check(api_as, None, withdrawn).json()
    assert (body["action"], body["choice"], body["current"]) == ("withdraw", None, True)


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "official", "other_representative"])
def test_an_open_secret_ballot_receipt_says_only_recorded_to_others(
    request, api_as, representative, secret_item, persona
):
    mine = services.vote_cast(actor=representative, item=secret_item, choice="for").receipt
    (third,) = representatives(1, prefix="ketiga")
    services.vote_cast(actor=third, item=secret_item, choice="against")
    services.vote_withdraw(actor=third, item=secret_item)
    user = request.getfixturevalue(persona)

    bodies = [
        check(api_as, user, record.hash).json()
        for record in VoteRecord.objects.filter(consultation=secret_item.consultation)
    ]

    assert [body["seq"] for body in bodies] == [1, 2, 3]
    assert all(body["sealed"] for body in bodies)
    # Asked for every hash of the sealed log, the check still gives nothing to count.
    assert all(body[field] is None for body in bodies for field in WITHHELD)
    assert check(api_as, user, mine).json()["chain"]["length"] == 3


def test_an_open_secret_ballot_receipt_tells_its_own_members_whether_it_stands(
    api_as, representative, member, secret_item
):
    first = services.vote_cast(actor=representative, item=secret_item, choice="for").receipt
    services.vote_cast(actor=representative, item=secret_item, choice="abstain")

    body = check(api_as, member, first).json()

    assert body["item"]["id"] == secret_item.pk
    assert (body["action"], body["current"]) == ("cast", False)
    assert body["choice"] is None  # the choice stays sealed until the close
    assert body["organization"] is None


def test_after_a_secret_ballot_closes_the_receipt_shows_the_choice_but_no_organization(
    api_as, official, representative, secret_item
):
    receipt = services.vote_cast(actor=representative, item=secret_item, choice="against").receipt
    consultation_services.consultation_close(
        actor=official, consultation=secret_item.consultation, reason="Rapat pleno selesai."
    )

    body = check(api_as, None, receipt).json()

    assert (body["sealed"], body["choice"], body["current"]) == (False, "against", True)
    assert body["organization"] is None


@pytest.mark.parametrize(
    ("receipt", "status"),
    [
        ("abc", 400),
        ("g" * 64, 400),
        ("a" * 63, 400),
        ("a" * 65, 400),
        ("é" * 64, 400),
        ("٣" * 64, 400),  # Arabic-Indic digits are digits to Python, not to a receipt
        ("9" * 10_000, 400),
        ("%00", 400),
        ("0" * 64, 404),  # the genesis hash: the start of every chain, no record's receipt
        ("b" * 64, 404),
    ],
)
def test_bad_or_unknown_receipts_answer_with_a_message(api_as, receipt, status):
    response = check(api_as, None, receipt)

    assert response.status_code == status
    assert response.json()["detail"]


def test_a_receipt_in_capitals_is_found(api_as, representative, stance_item):
    vote = services.vote_cast(actor=representative, item=stance_item, choice="for")

    assert check(api_as, None, vote.receipt.upper()).status_code == 200


# --- The page ---------------------------------------------------------------------------


def test_the_page_is_indonesian_by_default_and_english_on_request():
    indonesian = page(None).content.decode()
    english = page(None, language="en").content.decode()

    assert "<h1>Periksa tanda terima</h1>" in indonesian
    assert "<h1>Check a receipt</h1>" in english
    assert 'name="receipt"' in indonesian and 'method="get"' in indonesian


def test_the_page_shows_a_current_open_ballot_vote(representative, stance_item):
    vote = services.vote_cast(actor=representative, item=stance_item, choice="for")

    html = page(None, f"  {vote.receipt}\n").content.decode()

    assert "Tercatat di rantai" in html
    assert "Masih berlaku" in html
    assert "Setuju" in html
    assert stance_item.title in html
    assert VoteChain.objects.get(consultation=stance_item.consultation).head in html


def test_the_page_says_replaced_in_english_too(representative, stance_item):
    old = services.vote_cast(actor=representative, item=stance_item, choice="for").receipt
    services.vote_cast(actor=representative, item=stance_item, choice="against")

    html = page(None, old, language="en").content.decode()

    assert "Replaced" in html
    assert "Sudah diganti" in page(None, old).content.decode()


def test_the_page_keeps_an_open_secret_ballot_sealed(representative, secret_item):
    vote = services.vote_cast(actor=representative, item=secret_item, choice="for")

    html = page(None, vote.receipt).content.decode()

    assert "Tercatat di rantai" in html
    assert secret_item.title not in html
    assert "Masih berlaku" not in html and "Sudah diganti" not in html
    assert "Setuju" not in html
    assert "Suara rahasia" in html


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        ("bukan tanda terima", 400, "64 karakter"),
        ("c" * 64, 404, "Tidak ada catatan suara"),
    ],
)
def test_the_page_answers_bad_input_with_the_form_and_a_message(typed, status, message):
    response = page(None, typed)

    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert 'name="receipt"' in html

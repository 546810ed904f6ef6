"""After a vote the outcome shows in the item's own panel, where the person is looking, with
the receipt as a short code and a link to check it; the organisation's current choice says
so in words (issue 17 §2, §7)."""

import re

import pytest
from django.urls import reverse

from voting import services
from voting.models import Vote, VoteRecord
from voting.templatetags.voting_tags import short_receipt

pytestmark = pytest.mark.django_db


def vote(client, item, **data):
    return client.post(f"/voting/items/{item.pk}/vote/", data)


def page_after(client, response) -> str:
    return client.get(response["Location"].split("#")[0]).content.decode()


def test_a_receipt_is_shown_as_its_first_ten_characters_in_two_groups():
    assert short_receipt("3f2a19c0b7" + "e" * 54) == "3F2A1-9C0B7"
    assert short_receipt("") == ""


def test_the_vote_goes_back_to_the_items_panel(client, representative, stance_item):
    client.force_login(representative)
    response = vote(client, stance_item, choice="for", next="/konsultasi/1/?tab=butir#butir-9")
    assert response["Location"] == f"/konsultasi/1/?tab=butir#vote-{stance_item.pk}"


def test_the_confirmation_is_in_the_items_panel_with_a_short_receipt_and_a_check_link(
    client, representative, stance_item
):
    client.force_login(representative)
    url = reverse("consultation-detail", args=[stance_item.consultation_id])
    response = vote(client, stance_item, choice="for", next=url)
    receipt = Vote.objects.get().receipt
    html = page_after(client, response)

    panel = html.split(f'id="vote-{stance_item.pk}"')[1]
    outcome = panel.split("</div>")[0]
    assert "data-vote-outcome" in outcome and 'tabindex="-1"' in outcome
    assert "Setuju" in outcome and "tercatat" in outcome
    assert short_receipt(receipt) in outcome
    assert f"{reverse('receipt-check')}?receipt={receipt}" in outcome
    assert receipt not in re.sub(r'href="[^"]*"', "", outcome)  # the bare hash is not shown
    assert "vote-outcome.js" in panel
    # Not at the top of the page any more.
    assert 'class="messages"' not in html.split("<main")[0]


def test_the_confirmation_is_shown_once(client, representative, stance_item):
    client.force_login(representative)
    url = reverse("consultation-detail", args=[stance_item.consultation_id])
    page_after(client, vote(client, stance_item, choice="for", next=url))
    assert "data-vote-outcome" not in client.get(url).content.decode()


def test_a_withdrawal_is_confirmed_with_its_receipt(client, representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    client.force_login(representative)
    url = reverse("consultation-detail", args=[stance_item.consultation_id])
    html = page_after(client, vote(client, stance_item, withdraw="1", next=url))
    record = VoteRecord.objects.order_by("-pk").first()
    assert "ditarik" in html
    assert short_receipt(record.hash) in html


def test_a_refusal_shows_in_the_panel_too(client, member, stance_item):
    client.force_login(member)
    url = reverse("consultation-detail", args=[stance_item.consultation_id])
    html = page_after(client, vote(client, stance_item, choice="for", next=url))
    assert 'class="vote-outcome is-error"' in html
    assert "Suara Anda tidak tercatat." in html
    assert not Vote.objects.exists()


def test_the_current_choice_says_so_in_words(client, representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="against")
    client.force_login(representative)
    html = client.get(
        reverse("consultation-detail", args=[stance_item.consultation_id])
    ).content.decode()
    chosen = html.split('value="against" class="vote-button chosen"')[1].split("</button>")[0]
    assert "Pilihan organisasi Anda" in chosen
    assert html.count("Pilihan organisasi Anda") == 1


def test_the_own_vote_line_shows_the_short_receipt(client, representative, stance_item):
    vote_row = services.vote_cast(actor=representative, item=stance_item, choice="for")
    client.force_login(representative)
    html = client.get(
        reverse("consultation-detail", args=[stance_item.consultation_id])
    ).content.decode()
    assert short_receipt(vote_row.receipt) in html

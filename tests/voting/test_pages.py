"""The vote panel and the organization's votes on HTML pages; voting works without JavaScript."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from voting import services
from voting.models import Vote

pytestmark = pytest.mark.django_db


def render(user, snippet, **context):
    request = RequestFactory().get("/konsultasi/1/")
    request.user = user
    return Template("{% load voting_tags %}" + snippet).render(
        Context({"request": request, **context})
    )


def test_representative_sees_buttons_with_the_current_choice_pressed(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="against")

    html = render(representative, "{% item_vote item %}", item=stance_item)

    assert 'value="against" class="vote-button chosen" aria-pressed="true"' in html
    assert 'value="for" class="vote-button" aria-pressed="false"' in html
    assert "Tarik suara" in html


def test_tally_bars_show_numbers_and_percentages(
    representative, other_representative, anonymous, stance_item
):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="against")

    html = render(anonymous, "{% item_vote item %}", item=stance_item)

    assert "1 suara (50,0%)" in html  # Indonesian decimal comma
    assert "2 organisasi telah memilih" in html
    assert "vote-button" not in html


def test_member_sees_the_choice_but_no_buttons(representative, member, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")

    html = render(member, "{% item_vote item %}", item=stance_item)

    assert "Suara organisasi Anda" in html
    assert "vote-button" not in html


def test_approval_panel_counts_choices_used(representative, approval_items):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")

    html = render(representative, "{% item_vote item %}", item=approval_items[4])

    assert "3 dari 3 pilihan terpakai" in html
    assert "disabled" in html


def test_expired_representative_sees_why_instead_of_buttons(expired_representative, stance_item):
    html = render(expired_representative, "{% item_vote item %}", item=stance_item)

    assert "12 Maret 2026" in html
    assert "vote-button" not in html


def test_panel_for_many_items_has_no_n_plus_one(
    representative, approval_items, django_assert_max_num_queries
):
    services.vote_cast(actor=representative, item=approval_items[0], choice="approve")
    representative = type(representative).objects.get(pk=representative.pk)
    items = list(approval_items[0].consultation.items.select_related("consultation"))
    # membership, tallies, own votes, live windows, approval participants, chain head —
    # whatever the count
    with django_assert_max_num_queries(6):
        render(
            representative, "{% for item in items %}{% item_vote item %}{% endfor %}", items=items
        )


def test_form_post_casts_changes_and_withdraws_then_goes_back(client, representative, stance_item):
    client.force_login(representative)
    url = f"/voting/items/{stance_item.pk}/vote/"

    response = client.post(url, {"choice": "for", "next": "/konsultasi/1/#item-1"})
    assert response.status_code == 302
    assert response["Location"] == f"/konsultasi/1/#vote-{stance_item.pk}"
    client.post(url, {"choice": "abstain"})
    assert Vote.objects.get().choice == "abstain"
    client.post(url, {"withdraw": "1"})
    assert not Vote.objects.exists()


def test_form_post_refusal_becomes_a_message_not_an_error_page(client, member, stance_item):
    client.force_login(member)

    response = client.post(f"/voting/items/{stance_item.pk}/vote/", {"choice": "for"}, follow=False)

    assert response.status_code == 302
    assert not Vote.objects.exists()


def test_form_post_ignores_foreign_redirects(client, representative, stance_item):
    client.force_login(representative)

    response = client.post(
        f"/voting/items/{stance_item.pk}/vote/", {"choice": "for", "next": "https://evil.example/"}
    )

    assert "evil" not in response["Location"]


def test_anonymous_form_post_goes_to_login(client, stance_item):
    response = client.post(f"/voting/items/{stance_item.pk}/vote/", {"choice": "for"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_organization_page_lists_open_ballot_votes_and_receipts_to_anyone(
    representative, anonymous, organization, stance_item
):
    vote = services.vote_cast(actor=representative, item=stance_item, choice="for")

    html = render(anonymous, "{% organization_votes organization %}", organization=organization)

    assert vote.receipt in html
    assert stance_item.title in html


def test_approval_shares_are_of_the_organizations_taking_part(
    representative, other_representative, anonymous, approval_items
):
    services.vote_cast(actor=representative, item=approval_items[0], choice="approve")
    services.vote_cast(actor=other_representative, item=approval_items[1], choice="approve")

    html = render(anonymous, "{% item_vote item %}", item=approval_items[0])

    assert "1 suara (50,0%)" in html
    assert "Bagian dari 2 organisasi yang ikut serta" in html

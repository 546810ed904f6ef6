import pytest

from tests.factories import (
    CommentFactory,
    HearingFactory,
    ItemFactory,
    OrganizationFactory,
    SectionFactory,
)
from tests.feedback_data import consultation_with_comments


@pytest.fixture
def world(open_consultation, organization, representative, official):
    return consultation_with_comments(open_consultation, organization, representative, official)


def dashboard_url(consultation, query=""):
    return f"/konsultasi/{consultation.pk}/dasbor/{query}"


def test_planner_sees_items_sections_participation_and_export_links(
    client, planner, world, other_organization
):
    client.force_login(planner)

    response = client.get(dashboard_url(world.consultation))

    assert response.status_code == 200
    html = response.content.decode()
    for item in world.items:
        assert f'data-item="{item.pk}"' in html
    assert f"/api/v1/consultations/{world.consultation.pk}/export.csv" in html
    assert f"/api/v1/consultations/{world.consultation.pk}/export.xlsx" in html
    assert f"/api/v1/consultations/{world.consultation.pk}/export.json" in html
    assert 'data-seq="0"' in html
    participation = response.context["participation"]
    assert participation["eligible"] == 2
    assert participation["participating"] == 1
    assert [org.name for org in participation["absent"]] == ["LSM Harapan Bangsa"]
    assert "LSM Harapan Bangsa" in html


def test_comments_are_counted_by_section_and_stance_without_hidden_ones(client, planner, world):
    client.force_login(planner)

    response = client.get(dashboard_url(world.consultation))

    rows = {
        row["section"].number if row["section"] else None: row["counts"]
        for row in response.context["section_rows"]
    }
    assert rows["Pasal 1"] == {"support": 1, "oppose": 0, "neutral": 0, "question": 0}
    assert rows["Pasal 2"] == {"support": 0, "oppose": 1, "neutral": 0, "question": 1}
    assert rows["Pasal 3"] == {"support": 0, "oppose": 0, "neutral": 0, "question": 0}
    assert response.context["comment_total"] == 3
    assert response.context["missing_total"] == 2


def test_filters_narrow_the_figures_and_travel_to_the_export_links(client, planner, world):
    client.force_login(planner)

    response = client.get(dashboard_url(world.consultation, "?stance=question"))

    assert response.context["comment_total"] == 1
    assert "export.csv?stance=question" in response.content.decode()


def test_charts_are_server_rendered_with_the_numbers_beside_them(client, planner, world):
    client.force_login(planner)

    html = client.get(dashboard_url(world.consultation)).content.decode()

    assert '<svg class="stack"' in html
    assert 'class="stance-oppose"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("persona", ["citizen", "representative"])
def test_only_planners_officials_and_moderators_open_the_dashboard(client, world, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(dashboard_url(world.consultation)).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(dashboard_url(world.consultation))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_official_sees_the_hearings_with_minutes_links(client, official, world):
    hearing = HearingFactory(consultation=world.consultation)
    client.force_login(official)

    html = client.get(dashboard_url(world.consultation)).content.decode()

    assert f"/hearings/{hearing.pk}/minutes/" in html


def _grow(consultation, n):
    for i in range(n):
        section = SectionFactory(consultation=consultation)
        item = ItemFactory(consultation=consultation)
        organization = OrganizationFactory()
        CommentFactory(
            consultation=consultation, section=section, item=item, organization=organization
        )
        HearingFactory(consultation=consultation)
        if i % 2:
            CommentFactory(consultation=consultation, section=section, stance="oppose")


def test_dashboard_queries_do_not_grow_with_sections_items_and_organizations(
    client, planner, world, django_assert_max_num_queries
):
    client.force_login(planner)
    client.get(dashboard_url(world.consultation))  # warm the session and group caches
    _grow(world.consultation, 3)
    with django_assert_max_num_queries(30) as small:
        client.get(dashboard_url(world.consultation))
    _grow(world.consultation, 25)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(dashboard_url(world.consultation))

    assert response.status_code == 200


def test_the_consultation_page_links_planners_to_the_dashboard(client, planner, world):
    client.force_login(planner)

    html = client.get(f"/konsultasi/{world.consultation.pk}/").content.decode()

    assert f"/konsultasi/{world.consultation.pk}/dasbor/" in html


def test_the_consultation_page_shows_no_dashboard_link_to_citizens(client, citizen, world):
    client.force_login(citizen)

    html = client.get(f"/konsultasi/{world.consultation.pk}/").content.decode()

    assert "/dasbor/" not in html

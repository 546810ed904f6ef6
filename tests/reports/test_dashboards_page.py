"""/dasbor/: the planner's way in to every consultation's dashboard (issue 17)."""

from django.test import Client
from django.urls import reverse


def page_as(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("dashboards"))


def test_a_planner_sees_every_consultation_with_its_dashboard(planner, open_consultation):
    answer = page_as(planner)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert open_consultation.title in html
    assert reverse("consultation-dashboard", args=[open_consultation.pk]) in html


def test_the_menu_links_planners_and_officials_to_it(planner, official, member):
    link = f'href="{reverse("dashboards")}"'
    for user in (planner, official):
        client = Client()
        client.force_login(user)
        assert link in client.get(reverse("home")).content.decode()
    client = Client()
    client.force_login(member)
    assert link not in client.get(reverse("home")).content.decode()


def test_a_member_may_not_open_it(member, open_consultation):
    assert page_as(member).status_code == 403


def test_a_visitor_is_sent_to_sign_in(db):
    answer = page_as(None)
    assert answer.status_code == 302 and reverse("login") in answer["Location"]


def test_the_list_costs_a_fixed_number_of_queries(
    planner, open_consultation, django_assert_max_num_queries
):
    client = Client()
    client.force_login(planner)
    with django_assert_max_num_queries(12):
        client.get(reverse("dashboards"))

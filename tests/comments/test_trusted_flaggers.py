"""Trusted flaggers: users or verified organizations a moderator named; one report of
theirs hides a comment pending review. Named through the service, the API and the admin."""

import pytest

from backend.errors import Conflict, Invalid, NotAllowed
from comments import moderation
from comments.models import Comment, CommentReport, ModerationAction, TrustedFlagger
from tests.factories import MembershipFactory, OrganizationFactory, TrustedFlaggerFactory

pytestmark = pytest.mark.django_db


def report(user, comment):
    moderation.comment_report(actor=user, comment=comment, reason="Ujaran kebencian.")
    comment.refresh_from_db()
    return comment


def test_one_report_by_a_trusted_flagger_hides_the_comment(citizen, published_comment):
    TrustedFlaggerFactory(user=citizen)

    assert report(citizen, published_comment).status == Comment.Status.HIDDEN
    assert CommentReport.objects.get().trusted is True
    assert ModerationAction.objects.get().action == ModerationAction.Action.AUTO_HIDE


def test_every_member_of_a_trusted_organization_is_a_trusted_flagger(
    moderator, published_comment, other_organization
):
    moderation.trusted_flagger_name(actor=moderator, organization=other_organization)
    newcomer = MembershipFactory(organization=other_organization).user

    assert report(newcomer, published_comment).status == Comment.Status.HIDDEN


def test_a_removed_trusted_flagger_reports_like_anyone_else(moderator, citizen, published_comment):
    flagger = moderation.trusted_flagger_name(actor=moderator, user=citizen, reason="Teliti.")
    moderation.trusted_flagger_remove(actor=moderator, flagger=flagger)

    assert report(citizen, published_comment).status == Comment.Status.PUBLISHED


@pytest.mark.parametrize("persona", ["official", "planner", "representative", "citizen"])
def test_only_moderators_name_trusted_flaggers(request, persona, member):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        moderation.trusted_flagger_name(actor=actor, user=member)
    assert not TrustedFlagger.objects.exists()


def test_an_unverified_organization_cannot_be_named(moderator, pending_organization):
    with pytest.raises(Invalid):
        moderation.trusted_flagger_name(actor=moderator, organization=pending_organization)


def test_a_user_is_named_once(moderator, citizen):
    moderation.trusted_flagger_name(actor=moderator, user=citizen)
    with pytest.raises(Conflict):
        moderation.trusted_flagger_name(actor=moderator, user=citizen)
    assert TrustedFlagger.objects.count() == 1


def test_name_a_user_or_an_organization_not_both(moderator, citizen, organization):
    with pytest.raises(Invalid):
        moderation.trusted_flagger_name(actor=moderator, user=citizen, organization=organization)
    with pytest.raises(Invalid):
        moderation.trusted_flagger_name(actor=moderator)


# --- API ------------------------------------------------------------------------------------


def test_a_moderator_names_lists_and_removes_trusted_flaggers_through_the_api(
    api_as, moderator, citizen, other_organization
):
    client = api_as(moderator)
    by_name = client.post(
        "/api/v1/trusted-flaggers/", {"username": citizen.username, "reason": "Teliti."}
    )
    by_organization = client.post(
        "/api/v1/trusted-flaggers/", {"organization": other_organization.pk}, format="json"
    )
    listed = client.get("/api/v1/trusted-flaggers/")
    removed = client.delete(f"/api/v1/trusted-flaggers/{by_name.json()['id']}/")

    assert by_name.status_code == 201
    assert by_name.json()["username"] == citizen.username
    assert by_organization.status_code == 201
    assert by_organization.json()["organization_name"] == other_organization.name
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {
        by_name.json()["id"],
        by_organization.json()["id"],
    }
    assert removed.status_code == 204
    assert list(TrustedFlagger.objects.values_list("organization", flat=True)) == [
        other_organization.pk
    ]


@pytest.mark.parametrize("persona", ["official", "member", "citizen"])
def test_others_may_neither_list_nor_name_trusted_flaggers(api_as, request, persona, citizen):
    client = api_as(request.getfixturevalue(persona))

    assert client.get("/api/v1/trusted-flaggers/").status_code == 403
    answer = client.post("/api/v1/trusted-flaggers/", {"username": citizen.username})
    assert answer.status_code == 403
    assert not TrustedFlagger.objects.exists()


def test_an_unknown_username_or_organization_is_a_400(api_as, moderator):
    client = api_as(moderator)

    unknown_user = client.post("/api/v1/trusted-flaggers/", {"username": "tidak-ada"})
    unknown_organization = client.post(
        "/api/v1/trusted-flaggers/", {"organization": 99999999999}, format="json"
    )

    assert unknown_user.status_code == 400
    assert "username" in unknown_user.json()
    assert unknown_organization.status_code == 400


# --- admin ----------------------------------------------------------------------------------


def test_the_admin_names_a_trusted_flagger_through_the_service(client, superuser, citizen):
    client.force_login(superuser)

    answer = client.post(
        "/admin/comments/trustedflagger/add/", {"user": citizen.pk, "reason": "Teliti."}
    )

    assert answer.status_code == 302
    flagger = TrustedFlagger.objects.get()
    assert flagger.user == citizen
    assert flagger.named_by == superuser


def test_the_admin_refuses_an_unverified_organization(client, superuser, pending_organization):
    client.force_login(superuser)

    answer = client.post(
        "/admin/comments/trustedflagger/add/", {"organization": pending_organization.pk}
    )

    assert answer.status_code == 200  # the form again, with the service's message
    assert answer.context["adminform"].form.non_field_errors()
    assert not TrustedFlagger.objects.exists()


def test_an_organization_named_trusted_needs_no_member_to_exist_yet(moderator):
    organization = OrganizationFactory()
    flagger = moderation.trusted_flagger_name(actor=moderator, organization=organization)
    assert str(flagger) == str(organization)

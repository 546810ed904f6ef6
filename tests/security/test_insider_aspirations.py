"""An insider's attacks on proposals (aspirasi), their supports, decisions, scores and forum
agenda, follow-ups and notification settings: what one signed-in role can do to someone
else's data. The route-by-persona table is tests/security/test_authorization_matrix.py;
here are the cross-owner and cross-area attempts it cannot express."""

import pytest

from accounts import memberships
from aspirations import decisions, forum, supports
from aspirations.models import Aspiration, Decision, ForumProposal, Score, Stage, Support
from followups.models import FollowUp
from notifications.models import NotificationPreference
from tests.aspirations import conftest as musrenbang
from tests.aspirations.conftest import png_bytes, upload
from tests.factories import (
    AspirationFactory,
    ConsultationFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The Musrenbang world of tests/aspirations/conftest.py: its officials, areas and proposals.
bappeda = musrenbang.bappeda
camat = musrenbang.camat
criteria = musrenbang.criteria
hearing = musrenbang.hearing
kel_bukir = musrenbang.kel_bukir
kel_panggungrejo = musrenbang.kel_panggungrejo
kel_trajeng = musrenbang.kel_trajeng
lurah = musrenbang.lurah
lurah_trajeng = musrenbang.lurah_trajeng
panggungrejo = musrenbang.panggungrejo
proposal = musrenbang.proposal
propose = musrenbang.propose
public_works = musrenbang.public_works
rpjmd = musrenbang.rpjmd


def url(proposal, tail="") -> str:
    return f"/api/v1/aspirations/{proposal.pk}/{tail}"


def decide(api_as, user, proposal, **body):
    return api_as(user).post(url(proposal, "decisions/"), body, format="json")


def counts(proposal) -> tuple[int, int]:
    proposal.refresh_from_db()
    return proposal.support_organizations, proposal.support_citizens


@pytest.fixture
def bukir_proposal(propose, kel_bukir):
    """A citizen's proposal in Kelurahan Bukir (another kecamatan than Panggungrejo)."""
    return propose(
        UserFactory(username="warga.bukir"), title="Paving gang Bukir", kelurahan=kel_bukir
    )


# --- editing someone else's proposal --------------------------------------------------------


def test_a_representative_cannot_edit_the_proposal_his_organization_did_not_write(
    api_as, other_representative, member, propose
):
    proposal = propose(member)
    answer = api_as(other_representative).patch(url(proposal), {"title": "Diambil alih"})
    assert answer.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title != "Diambil alih" and proposal.version == 1


def test_a_representative_cannot_edit_a_proposal_a_member_wrote_for_the_organization(
    api_as, representative, member, propose
):
    proposal = propose(member)
    assert api_as(representative).patch(url(proposal), {"title": "Ubah"}).status_code == 403


def test_a_member_who_left_the_organization_no_longer_edits_its_proposal(
    api_as, member, propose, organization
):
    proposal = propose(member)
    assert proposal.organization == organization
    memberships.membership_remove(actor=member, membership=member.membership)
    member.refresh_from_db()
    answer = api_as(member).patch(url(proposal), {"title": "Versi pribadi saya"})
    assert answer.status_code == 403
    proposal.refresh_from_db()
    assert proposal.version == 1


def test_the_edit_form_of_someone_elses_proposal_is_refused(client, citizen, proposal):
    client.force_login(citizen)
    assert client.get(f"/aspirasi/{proposal.pk}/ubah/").status_code == 403
    response = client.post(
        f"/aspirasi/{proposal.pk}/ubah/",
        {
            "title": "Dibajak",
            "description": "x" * 20,
            "category": proposal.category_id,
            "kelurahan": proposal.kelurahan_id,
            "estimated_cost": "1",
            "beneficiaries": "1",
        },
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title != "Dibajak"


def test_fields_that_are_not_editable_are_ignored_in_an_edit(api_as, representative, proposal):
    answer = api_as(representative).patch(
        url(proposal),
        {
            "title": "Judul baru",
            "status": "accepted",
            "stage": "kota",
            "author": UserFactory().pk,
            "organization": None,
            "support_organizations": 99,
            "support_citizens": 99,
            "pagu": "1000000000",
            "version": 42,
            "first_decision_at": None,
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    proposal.refresh_from_db()
    assert proposal.title == "Judul baru"
    assert (proposal.status, proposal.stage) == ("submitted", "kelurahan")
    assert (proposal.author, proposal.organization) == (representative, proposal.organization)
    assert proposal.organization is not None
    assert counts(proposal) == (0, 0)
    assert proposal.pagu is None and proposal.version == 2


def test_a_new_proposal_cannot_choose_its_organization_author_status_or_counts(
    api_as, citizen, other_organization, rpjmd, public_works, kel_panggungrejo, representative
):
    answer = api_as(citizen).post(
        "/api/v1/aspirations/",
        {
            "consultation": rpjmd.pk,
            "title": "Lampu jalan",
            "description": "Gang gelap di malam hari.",
            "category": public_works.pk,
            "kelurahan": kel_panggungrejo.pk,
            "estimated_cost": "5000000",
            "beneficiaries": 30,
            "organization": other_organization.pk,
            "author": representative.pk,
            "status": "accepted",
            "stage": "kota",
            "support_organizations": 50,
            "support_citizens": 50,
            "item": rpjmd.items.first().pk,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    made = Aspiration.objects.get(pk=answer.json()["id"])
    assert (made.author, made.organization) == (citizen, None)
    assert (made.status, made.stage, made.item) == ("submitted", "kelurahan", None)
    assert counts(made) == (0, 0)


def test_a_scored_proposal_cannot_move_to_another_kelurahan_and_take_its_scores_along(
    api_as, representative, lurah, proposal, criteria, kel_bukir, kel_panggungrejo
):
    decisions.aspiration_score(actor=lurah, aspiration=proposal, scores=[(c, 5) for c in criteria])
    answer = api_as(representative).patch(url(proposal), {"kelurahan": kel_bukir.pk}, format="json")
    assert answer.status_code == 409
    assert "kelurahan" in answer.json()
    proposal.refresh_from_db()
    assert (proposal.kelurahan, proposal.version) == (kel_panggungrejo, 1)
    rows = (
        api_as(None)
        .get(f"/api/v1/aspirations/ranking/?stage=kelurahan&kelurahan={kel_bukir.pk}")
        .json()
    )
    assert [row for row in rows if row["score"] > 0] == []


def test_an_unscored_proposal_may_still_move_to_the_right_kelurahan(
    api_as, representative, proposal, kel_bukir
):
    answer = api_as(representative).patch(url(proposal), {"kelurahan": kel_bukir.pk}, format="json")
    assert answer.status_code == 200, answer.content
    proposal.refresh_from_db()
    assert proposal.kelurahan == kel_bukir


def test_an_attachment_of_another_proposal_cannot_be_removed_in_an_edit(
    api_as, citizen, representative, proposal, propose
):
    other = propose(citizen, attachments=[upload("foto.png", png_bytes())])
    theirs = other.attachments.get()
    answer = api_as(representative).patch(
        url(proposal), {"remove_attachments": [theirs.pk]}, format="json"
    )
    assert answer.status_code == 400
    theirs.refresh_from_db()
    assert theirs.removed_in_version is None


def test_an_attachment_is_fetched_only_through_its_own_proposal(api_as, citizen, proposal, propose):
    other = propose(citizen, attachments=[upload("foto.png", png_bytes())])
    theirs = other.attachments.get()
    assert api_as(None).get(url(proposal, f"attachments/{theirs.pk}/")).status_code == 404


# --- supports: nobody moves someone else's ---------------------------------------------------


def test_a_representative_cannot_withdraw_another_organizations_support(
    api_as, representative, other_representative, citizen, propose
):
    proposal = propose(citizen)
    supports.aspiration_support(actor=representative, aspiration=proposal)
    answer = api_as(other_representative).delete(url(proposal, "support/"))
    assert answer.status_code == 200
    assert counts(proposal) == (1, 0)
    assert Support.objects.filter(aspiration=proposal, organization__acronym="Pelita").exists()


def test_a_citizen_cannot_withdraw_another_citizens_support(api_as, citizen, proposal):
    neighbour = UserFactory(username="tetangga")
    supports.aspiration_support(actor=neighbour, aspiration=proposal)
    assert api_as(citizen).delete(url(proposal, "support/")).status_code == 200
    assert counts(proposal) == (0, 1)
    assert Support.objects.filter(aspiration=proposal, citizen=neighbour).exists()


def test_a_mere_member_cannot_withdraw_the_organizations_support_from_the_page(
    client, other_representative, citizen, propose, other_organization
):
    proposal = propose(citizen)
    supports.aspiration_support(actor=other_representative, aspiration=proposal)
    yanti = MembershipFactory(organization=other_organization, role="member").user
    client.force_login(yanti)
    response = client.post(f"/aspirasi/{proposal.pk}/dukung/", {"action": "withdraw"})
    assert response.status_code == 302
    assert counts(proposal) == (1, 0)


def test_a_representative_demoted_to_member_cannot_withdraw_the_organizations_support(
    api_as, other_representative, other_organization, citizen, propose
):
    proposal = propose(citizen)
    supports.aspiration_support(actor=other_representative, aspiration=proposal)
    MembershipFactory(organization=other_organization, role="representative")
    membership = other_representative.membership
    membership.role = "member"
    membership.save()
    assert api_as(other_representative).delete(url(proposal, "support/")).status_code == 403
    assert counts(proposal) == (1, 0)


def test_supporting_twice_from_the_api_and_the_page_counts_once(
    api_as, client, other_representative, proposal
):
    assert api_as(other_representative).put(url(proposal, "support/")).status_code == 200
    client.force_login(other_representative)
    client.post(f"/aspirasi/{proposal.pk}/dukung/", {"action": "support"})
    assert api_as(other_representative).put(url(proposal, "support/")).json() == {
        "organizations": 1,
        "citizens": 0,
    }
    assert Support.objects.filter(aspiration=proposal).count() == 1


def test_a_support_body_cannot_name_another_organization_or_citizen(
    api_as, other_representative, organization, citizen, propose
):
    proposal = propose(citizen)
    answer = api_as(other_representative).put(
        url(proposal, "support/"),
        {"organization": organization.pk, "citizen": citizen.pk, "count": 40},
        format="json",
    )
    assert answer.status_code == 200
    support = Support.objects.get(aspiration=proposal)
    assert support.organization.acronym == "Harapan" and support.citizen is None
    assert counts(proposal) == (1, 0)


# --- decisions and scores across stages and areas --------------------------------------------


def test_a_moderator_and_a_planner_cannot_decide_from_the_page(
    client, moderator, planner, proposal
):
    for user in (moderator, planner):
        client.force_login(user)
        client.post(f"/aspirasi/{proposal.pk}/putuskan/", {"outcome": "forwarded"})
    assert not Decision.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_an_official_of_another_kelurahan_cannot_decide_or_score_from_the_page(
    client, lurah_trajeng, proposal, criteria
):
    client.force_login(lurah_trajeng)
    client.post(f"/aspirasi/{proposal.pk}/putuskan/", {"outcome": "rejected", "reason": "x" * 20})
    client.post(f"/aspirasi/{proposal.pk}/skor/", {f"score-{criteria[0].pk}": "5"})
    assert not Decision.objects.exists() and not Score.objects.exists()


def test_the_kelurahan_official_cannot_change_the_scores_once_the_proposal_moved_on(
    api_as, lurah, proposal, criteria
):
    body = {"scores": [{"criterion": criteria[0].pk, "value": 5}]}
    assert api_as(lurah).put(url(proposal, "scores/"), body, format="json").status_code == 200
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    body = {"scores": [{"criterion": criteria[0].pk, "value": 1}]}
    assert api_as(lurah).put(url(proposal, "scores/"), body, format="json").status_code == 403
    assert Score.objects.get().value == 5


def test_the_kecamatan_official_scores_only_at_the_kecamatan_stage(
    api_as, lurah, camat, proposal, criteria
):
    decisions.aspiration_score(actor=lurah, aspiration=proposal, scores=[(criteria[0], 4)])
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    body = {"scores": [{"criterion": criteria[0].pk, "value": 1}]}
    assert api_as(camat).put(url(proposal, "scores/"), body, format="json").status_code == 200
    assert Score.objects.get(stage=Stage.KELURAHAN).value == 4
    assert Score.objects.get(stage=Stage.KECAMATAN).value == 1


def test_a_kecamatan_official_cannot_act_on_another_kecamatans_proposal(
    api_as, lurah, camat, bukir_proposal, criteria
):
    superuser = UserFactory(username="root2", is_staff=True, is_superuser=True)
    decisions.aspiration_decide(actor=superuser, aspiration=bukir_proposal, outcome="forwarded")
    assert decide(api_as, camat, bukir_proposal, outcome="forwarded").status_code == 403
    body = {"scores": [{"criterion": criteria[0].pk, "value": 5}]}
    assert api_as(camat).put(url(bukir_proposal, "scores/"), body, format="json").status_code == 403
    assert Decision.objects.count() == 1 and not Score.objects.exists()


def test_an_official_taken_out_of_the_officials_group_loses_the_stage_he_still_has_on_file(
    api_as, lurah, proposal, criteria
):
    lurah.groups.clear()
    lurah = type(lurah).objects.get(pk=lurah.pk)  # as the next request loads him
    assert decide(api_as, lurah, proposal, outcome="forwarded").status_code == 403
    body = {"scores": [{"criterion": criteria[0].pk, "value": 5}]}
    assert api_as(lurah).put(url(proposal, "scores/"), body, format="json").status_code == 403
    assert not Decision.objects.exists() and not Score.objects.exists()


def test_a_merge_into_a_proposal_of_another_consultation_is_refused(
    api_as, lurah, proposal, kel_panggungrejo, citizen
):
    elsewhere = AspirationFactory(
        consultation=ConsultationFactory(kind="rpjmd", title="RPJMD lain"),
        kelurahan=kel_panggungrejo,
        author=citizen,
    )
    answer = decide(api_as, lurah, proposal, outcome="merged", merged_into=elsewhere.pk)
    assert answer.status_code == 400
    assert "merged_into" in answer.json()
    assert not Decision.objects.exists()


def test_an_official_cannot_merge_into_a_proposal_of_an_area_outside_his_scope(
    api_as, lurah, other_representative, proposal, bukir_proposal
):
    supports.aspiration_support(actor=other_representative, aspiration=proposal)
    supports.aspiration_support(actor=UserFactory(username="tetangga"), aspiration=proposal)
    answer = decide(api_as, lurah, proposal, outcome="merged", merged_into=bukir_proposal.pk)
    assert answer.status_code == 400
    assert "merged_into" in answer.json()
    assert counts(bukir_proposal) == (0, 0)
    assert not Support.objects.filter(aspiration=bukir_proposal).exists()


def test_an_acceptance_cannot_name_a_programme_of_another_plan_from_the_page(
    client, lurah, camat, bappeda, proposal
):
    forward = decisions.aspiration_decide
    forward(actor=lurah, aspiration=proposal, outcome="forwarded")
    forward(actor=camat, aspiration=proposal, outcome="forwarded")
    foreign = ConsultationFactory(kind="rpjmd", title="RPJMD lain").items.create(
        code="9.99", title="Program lain", position=1
    )
    client.force_login(bappeda)
    client.post(
        f"/aspirasi/{proposal.pk}/putuskan/",
        {"outcome": "accepted", "item": str(foreign.pk), "pagu": "1000"},
    )
    proposal.refresh_from_db()
    assert proposal.status == "forwarded" and proposal.item is None


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "merged", "merged_into": "abc"},
        {"outcome": "merged", "merged_into": -1},
        {"outcome": "merged", "merged_into": 10**30},
        {"outcome": "merged", "merged_into": [1]},
        {"outcome": "merged", "merged_into": {"id": 1}},
        {"outcome": "accepted", "item": "1 OR 1=1"},
        {"outcome": "rejected", "reason": ["a" * 20]},
        {"outcome": "forwarded", "pagu": "-5"},
        {"outcome": 7},
    ],
)
def test_garbage_in_a_decision_is_a_4xx_and_writes_nothing(api_as, lurah, proposal, body):
    answer = decide(api_as, lurah, proposal, **body)
    assert 400 <= answer.status_code < 500, answer.content
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "scores",
    [
        [{"criterion": "abc", "value": 3}],
        [{"criterion": -1, "value": 3}],
        [{"criterion": 10**30, "value": 3}],
        "semua lima",
        [{"criterion": None, "value": 3}],
    ],
)
def test_garbage_in_scores_is_a_4xx(api_as, lurah, proposal, criteria, scores):
    answer = api_as(lurah).put(url(proposal, "scores/"), {"scores": scores}, format="json")
    assert 400 <= answer.status_code < 500, answer.content
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [0, 6, -3, 10**20, "5.5", True])
def test_a_score_outside_one_to_five_is_refused(api_as, lurah, proposal, criteria, value):
    body = {"scores": [{"criterion": criteria[0].pk, "value": value}]}
    answer = api_as(lurah).put(url(proposal, "scores/"), body, format="json")
    assert answer.status_code == 400, answer.content
    assert not Score.objects.exists()


def test_garbage_scores_from_the_page_are_refused_without_a_500(client, lurah, proposal, criteria):
    client.force_login(lurah)
    for raw in ("-1", "9" * 40, "3.5", "abc", "0x5"):
        response = client.post(f"/aspirasi/{proposal.pk}/skor/", {f"score-{criteria[0].pk}": raw})
        assert response.status_code == 302
    assert not Score.objects.exists()


def test_garbage_ids_in_the_decision_form_are_refused_without_a_500(client, lurah, proposal):
    client.force_login(lurah)
    for target in ("abc", "-1", "9" * 40, "1e3"):
        response = client.post(
            f"/aspirasi/{proposal.pk}/putuskan/", {"outcome": "merged", "merged_into": target}
        )
        assert response.status_code == 302
    assert not Decision.objects.exists()


# --- the forum's agenda ----------------------------------------------------------------------


def test_an_official_of_another_kelurahan_cannot_put_a_proposal_on_a_forum(
    api_as, lurah_trajeng, official, proposal, hearing
):
    for user in (lurah_trajeng, official):
        answer = api_as(user).post(url(proposal, "agenda/"), {"hearing": hearing.pk}, format="json")
        assert answer.status_code == 403
    assert not ForumProposal.objects.exists()


@pytest.mark.parametrize("hearing_id", ["abc", -1, 10**30, None, [1]])
def test_a_garbage_hearing_id_is_a_4xx(api_as, lurah, proposal, hearing_id):
    answer = api_as(lurah).post(url(proposal, "agenda/"), {"hearing": hearing_id}, format="json")
    assert 400 <= answer.status_code < 500
    assert not ForumProposal.objects.exists()


def test_taking_a_proposal_off_a_hearing_it_is_not_on_is_a_404(
    api_as, lurah, proposal, propose, citizen, hearing
):
    other = propose(citizen, title="Usulan lain")
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=other)
    answer = api_as(lurah).delete(url(proposal, f"agenda/{hearing.pk}/"))
    assert answer.status_code == 404
    assert ForumProposal.objects.count() == 1


@pytest.mark.parametrize("persona", ["lurah_trajeng", "official"])
def test_no_official_takes_a_proposal_off_the_forum_through_the_hearing_agenda(
    request, api_as, lurah, proposal, hearing, persona
):
    link = forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    user = request.getfixturevalue(persona)
    answer = api_as(user).delete(f"/api/v1/hearings/{hearing.pk}/agenda/{link.agenda_item_id}/")
    assert answer.status_code == 409
    assert "hanya pejabat tahap dan wilayah usulan itu" in answer.json()["detail"]
    assert ForumProposal.objects.filter(pk=link.pk).exists()


def test_the_forums_official_keeps_control_of_its_agenda_when_the_author_moves_the_proposal(
    api_as, representative, lurah, proposal, hearing, kel_bukir
):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    moved = api_as(representative).patch(url(proposal), {"kelurahan": kel_bukir.pk}, format="json")
    removed = api_as(lurah).delete(url(proposal, f"agenda/{hearing.pk}/"))
    assert (moved.status_code, removed.status_code) == (409, 204)


# --- comments on a proposal --------------------------------------------------------------------


def test_a_reply_cannot_hang_under_a_comment_of_another_proposal(
    api_as, citizen, member, other_representative, proposal, propose
):
    other = propose(citizen, title="Usulan lain")
    body = {"stance": "support", "body": "Setuju dengan usulan ini."}
    parent = api_as(other_representative).post(url(other, "comments/"), body, format="json")
    assert parent.status_code == 201, parent.content
    answer = api_as(member).post(
        url(proposal, "comments/"), {**body, "parent": parent.json()["id"]}, format="json"
    )
    assert answer.status_code == 400
    assert "parent" in answer.json()


# --- the official's queue and the public ranking ------------------------------------------------


def test_the_triage_queue_of_a_kelurahan_official_ignores_another_area_in_the_query(
    client, lurah, bukir_proposal, kel_bukir, proposal
):
    client.force_login(lurah)
    page = client.get(f"/aspirasi/triase/?stage=kelurahan&kelurahan={kel_bukir.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert proposal.title in text and bukir_proposal.title not in text


@pytest.mark.parametrize(
    "query",
    [
        "stage=desa",
        "stage=kelurahan&kelurahan=abc",
        "stage=kelurahan&kelurahan=-1",
        "stage=kecamatan&kecamatan=" + "9" * 40,
        "stage=kota&consultation=abc",
        "stage=kota&consultation=" + "9" * 40,
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/aspirations/ranking/",
        "/api/v1/aspirations/rekap.csv",
        "/api/v1/aspirations/rekap.xlsx",
    ],
)
def test_garbage_in_the_ranking_and_rekap_is_a_400(api_as, proposal, path, query):
    assert api_as(None).get(f"{path}?{query}").status_code == 400


# --- private data in public reads -------------------------------------------------------------


def test_a_pseudonymous_citizens_name_and_contact_appear_in_no_public_read(
    api_as, client, propose, lurah, criteria, kel_panggungrejo
):
    wati = UserFactory(
        username="wati.lestari",
        first_name="Wati",
        last_name="Lestari",
        email="wati.lestari@contoh.id",
    )
    proposal = propose(wati, title="Posyandu RW 05")
    decisions.aspiration_score(actor=lurah, aspiration=proposal, scores=[(criteria[0], 3)])
    secrets = ("Wati", "Lestari", "wati.lestari", "contoh.id")
    anonymous = api_as(None)
    area = f"stage=kelurahan&kelurahan={kel_panggungrejo.pk}"
    reads = [
        anonymous.get("/api/v1/aspirations/"),
        anonymous.get(url(proposal)),
        anonymous.get(url(proposal, "versions/")),
        anonymous.get(url(proposal, "decisions/")),
        anonymous.get(url(proposal, "scores/")),
        anonymous.get(f"/api/v1/aspirations/ranking/?{area}"),
        anonymous.get(f"/api/v1/aspirations/rekap.csv?{area}"),
        client.get("/aspirasi/"),
        client.get(f"/aspirasi/{proposal.pk}/"),
        client.get(f"/aspirasi/{proposal.pk}/versi/"),
        client.get(f"/aspirasi/peringkat/?{area}"),
    ]
    for answer in reads:
        assert answer.status_code == 200
        text = answer.content.decode("utf-8-sig")
        for secret in secrets:
            assert secret not in text, (answer.request["PATH_INFO"], secret)


def test_a_citizens_supports_are_counted_but_never_named(api_as, client, proposal):
    neighbour = UserFactory(username="pak.rt", first_name="Pak", last_name="Hartono")
    supports.aspiration_support(actor=neighbour, aspiration=proposal)
    for answer in (api_as(None).get(url(proposal)), client.get(f"/aspirasi/{proposal.pk}/")):
        text = answer.content.decode()
        assert "pak.rt" not in text and "Hartono" not in text


def test_usulan_saya_lists_no_one_elses_proposals(client, citizen, other_representative, proposal):
    for user in (citizen, other_representative):
        client.force_login(user)
        assert proposal.title not in client.get("/aspirasi/saya/").content.decode()


# --- follow-ups --------------------------------------------------------------------------------


def test_a_follow_up_cannot_name_a_proposal_of_another_consultation(api_as, official, rpjmd):
    accepted = AspirationFactory(status=Aspiration.Status.ACCEPTED)
    body = {
        "consultation": rpjmd.pk,
        "proposal": accepted.pk,
        "status": "done",
        "progress": 100,
        "note": "Selesai.",
    }
    answer = api_as(official).post("/api/v1/follow-ups/", body, format="json")
    assert answer.status_code == 400
    assert "proposal" in answer.json()
    assert not FollowUp.objects.exists()


def test_the_follow_up_page_refuses_a_proposal_of_another_consultation(client, official, rpjmd):
    accepted = AspirationFactory(status=Aspiration.Status.ACCEPTED)
    client.force_login(official)
    response = client.post(
        f"/konsultasi/{rpjmd.pk}/tindak-lanjut/",
        {"target": f"proposal:{accepted.pk}", "status": "done", "progress": 100, "note": "x"},
    )
    assert response.status_code == 400
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("target", ["proposal:abc", "proposal:-1", "proposal:" + "9" * 40, "x:1"])
def test_garbage_follow_up_targets_on_the_page_are_a_400(client, official, rpjmd, target):
    client.force_login(official)
    response = client.post(
        f"/konsultasi/{rpjmd.pk}/tindak-lanjut/",
        {"target": target, "status": "done", "progress": 100, "note": "x"},
    )
    assert response.status_code == 400
    assert not FollowUp.objects.exists()


def test_a_stage_official_cannot_follow_up_a_proposal_that_is_not_accepted(api_as, lurah, proposal):
    body = {
        "consultation": proposal.consultation_id,
        "proposal": proposal.pk,
        "status": "done",
        "progress": 100,
        "note": "Sudah dikerjakan.",
    }
    assert api_as(lurah).post("/api/v1/follow-ups/", body, format="json").status_code == 409


# --- notification settings ----------------------------------------------------------------------


def test_notification_preferences_cannot_name_another_user(api_as, member, representative):
    answer = api_as(member).put(
        "/api/v1/notifications/preferences/",
        {"user": representative.pk, "channels": {"comment_rejected": "off"}},
        format="json",
    )
    assert answer.status_code in (200, 400)
    assert not NotificationPreference.objects.filter(user=representative).exists()


def test_notification_preferences_from_the_page_touch_only_ones_own(client, member, representative):
    client.force_login(member)
    client.post(
        "/notifikasi/preferensi/",
        {"user": representative.pk, "channel-comment_rejected": "off", "language": "en"},
    )
    assert not NotificationPreference.objects.filter(user=representative).exists()

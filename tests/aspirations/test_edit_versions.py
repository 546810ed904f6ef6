"""The author edits until the first decision; each change is a version, the old one readable;
after a decision nobody edits, officials included."""

import pytest

from aspirations import decisions
from aspirations.models import AspirationVersion
from tests.aspirations.conftest import PDF, png_bytes, upload

pytestmark = pytest.mark.django_db


def patch(api_as, user, proposal, body, fmt="json"):
    return api_as(user).patch(f"/api/v1/aspirations/{proposal.pk}/", body, format=fmt)


def test_an_edit_makes_version_2_and_version_1_stays_readable(api_as, representative, proposal):
    answer = patch(api_as, representative, proposal, {"estimated_cost": "200000000"})
    assert answer.status_code == 200
    assert answer.json()["version"] == 2
    versions = api_as(None).get(f"/api/v1/aspirations/{proposal.pk}/versions/").json()
    assert [(v["number"], v["estimated_cost"]) for v in versions] == [
        (1, "150000000.00"),
        (2, "200000000.00"),
    ]


def test_an_edit_that_changes_nothing_writes_no_version(api_as, representative, proposal):
    answer = patch(api_as, representative, proposal, {"title": proposal.title})
    assert answer.json()["version"] == 1
    assert AspirationVersion.objects.filter(aspiration=proposal).count() == 1


def test_moving_to_another_kelurahan_moves_the_kecamatan(
    api_as, representative, proposal, kel_bukir
):
    answer = patch(api_as, representative, proposal, {"kelurahan": kel_bukir.pk})
    assert answer.json()["kecamatan_name"] == "Gadingrejo"


def test_files_added_and_removed_in_an_edit_stay_with_their_versions(
    api_as, representative, propose
):
    proposal = propose(representative, attachments=[upload("a.pdf", PDF)])
    first = proposal.attachments.get()
    answer = patch(
        api_as,
        representative,
        proposal,
        {"add_attachments": [upload("b.png", png_bytes())], "remove_attachments": [first.pk]},
        fmt="multipart",
    )
    assert answer.status_code == 200, answer.json()
    assert [f["name"] for f in answer.json()["attachments"]] == ["b.png"]
    page = api_as(None).get(f"/aspirasi/{proposal.pk}/versi/").content.decode()
    assert "a.pdf" in page and "b.png" in page


def test_only_the_author_edits(api_as, member, other_representative, official, proposal):
    for user in (member, other_representative, official):
        assert patch(api_as, user, proposal, {"title": "Diubah orang lain"}).status_code == 403


def test_after_the_first_decision_nobody_edits_not_even_officials(
    api_as, representative, lurah, superuser, proposal
):
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    answer = patch(api_as, representative, proposal, {"title": "Judul baru"})
    assert answer.status_code == 409
    for user in (lurah, superuser):
        assert patch(api_as, user, proposal, {"title": "Judul baru"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title != "Judul baru"
    assert AspirationVersion.objects.filter(aspiration=proposal).count() == 1


def test_a_fourth_file_is_refused_in_an_edit(api_as, representative, propose):
    proposal = propose(representative, attachments=[upload(f"{n}.pdf", PDF) for n in range(3)])
    answer = patch(
        api_as, representative, proposal, {"add_attachments": [upload("d.pdf", PDF)]}, "multipart"
    )
    assert answer.status_code == 400
    assert proposal.attachments.count() == 3

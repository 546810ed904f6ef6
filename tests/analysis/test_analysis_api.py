"""GET consultations/{id}/themes/ and duplicate-groups/, POST themes/refresh/: the stored
result in the shapes of the spec, read by staff, never computed by a read."""

import pytest
from django.urls import reverse

from analysis import selectors
from analysis.models import Analysis
from comments import moderation as comment_moderation
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

LETTER = (
    "Kami pedagang Pasar Besar menolak rencana relokasi pedagang ke lokasi baru di pinggir "
    "kota. Lokasi baru jauh dari pembeli dan belum ada angkutan umum. Kami meminta "
    "revitalisasi dilakukan di tempat yang sama secara bertahap."
)
SINGLES = [
    "Lampu penerangan jalan di gang kami mati, gelap sekali waktu malam.",
    "Lampu PJU di jalan kampung belum dipasang, warga takut keluar malam.",
    "Penerangan jalan di dekat sekolah mati, lampu jalan perlu diganti.",
    "Sampah di TPS menumpuk seminggu, truk sampah jarang datang.",
    "Truk sampah tidak datang, sampah rumah tangga menumpuk di gang.",
    "Pengangkutan sampah dari TPS pasar perlu ditambah jadwalnya.",
    "Air PDAM sering mati berhari-hari di kelurahan kami.",
    "Air PDAM keruh dan berbau, sambungan air bersih perlu diperbaiki.",
    "Setuju.",
]


@pytest.fixture
def commented(open_consultation, pasal_1):
    """Twelve copies of one letter from twelve people, one resent by its author, and nine
    other comments."""
    letters = [
        CommentFactory(
            consultation=open_consultation,
            section=pasal_1,
            stance="oppose",
            author=UserFactory(username=f"pedagang{n}"),
            body=("Assalamualaikum. " if n % 2 else "") + LETTER + f" Salam, pedagang {n}.",
        )
        for n in range(12)
    ]
    resent_by = UserFactory(username="pengirim")
    resent = [
        CommentFactory(
            consultation=open_consultation,
            author=resent_by,
            body="Mohon jadwal posyandu di balai RW kami diumumkan lebih awal setiap bulan.",
        )
        for _ in range(2)
    ]
    singles = [CommentFactory(consultation=open_consultation, body=b) for b in SINGLES]
    return {"letters": letters, "resent": resent, "singles": singles}


def themes_url(consultation):
    return reverse("consultation-themes", args=[consultation.pk])


def groups_url(consultation):
    return reverse("consultation-duplicate-groups", args=[consultation.pk])


def test_before_any_computation_the_answer_says_stale_and_computes_nothing(
    api_as, planner, open_consultation, commented, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        body = api_as(planner).get(themes_url(open_consultation)).json()
    assert body == {"status": "stale", "computed_at": None, "comment_count": 0, "themes": []}
    assert not open_consultation.analysis.themes.exists()


def test_duplicate_groups_have_the_spec_shape(
    api_as, planner, open_consultation, commented, analyse
):
    analyse(open_consultation)
    body = api_as(planner).get(groups_url(open_consultation)).json()
    assert body["status"] == "ready"
    assert body["computed_at"].endswith("+07:00")
    campaign, resent = body["groups"]
    assert sorted(campaign["comments"]) == sorted(c.pk for c in commented["letters"])
    assert (campaign["size"], campaign["authors"], campaign["campaign"]) == (12, 12, True)
    assert campaign["representative"] in campaign["comments"]
    assert campaign["stance_counts"]["oppose"] == 12
    assert (resent["size"], resent["authors"], resent["campaign"]) == (2, 1, False)
    assert set(campaign) >= {
        "id",
        "size",
        "authors",
        "organizations",
        "campaign",
        "representative",
        "comments",
    }


def test_every_published_comment_is_in_exactly_one_theme(
    api_as, planner, open_consultation, commented, analyse
):
    analyse(open_consultation)
    body = api_as(planner).get(themes_url(open_consultation)).json()
    placed = [c for theme in body["themes"] for c in theme["comments"]]
    published = Comment.objects.filter(consultation=open_consultation).values_list("pk", flat=True)
    assert sorted(placed) == sorted(published)
    assert body["comment_count"] == len(published)
    theme = body["themes"][0]
    assert set(theme) >= {
        "id",
        "label",
        "terms",
        "size",
        "stance_counts",
        "sections",
        "representatives",
        "comments",
    }
    assert set(theme["stance_counts"]) == {"support", "oppose", "neutral", "question"}
    assert all(r in theme["comments"] for r in theme["representatives"])


def test_a_campaign_sits_whole_in_one_theme_and_stands_once_for_it(
    api_as, planner, open_consultation, commented, analyse
):
    analyse(open_consultation)
    themes = api_as(planner).get(themes_url(open_consultation)).json()["themes"]
    letters = {c.pk for c in commented["letters"]}
    holding = [t for t in themes if letters & set(t["comments"])]
    assert len(holding) == 1 and letters <= set(holding[0]["comments"])
    assert len(letters & set(holding[0]["representatives"])) <= 1


def test_a_hidden_comment_leaves_the_figures_at_once_and_marks_the_result_stale(
    api_as, planner, moderator, open_consultation, commented, analyse
):
    analyse(open_consultation)
    letter = commented["letters"][0]
    comment_moderation.comment_hide(actor=moderator, comment=letter, reason="Spam")
    groups = api_as(planner).get(groups_url(open_consultation)).json()
    assert groups["status"] == "stale"
    assert letter.pk not in groups["groups"][0]["comments"]
    assert groups["groups"][0]["size"] == 11


def test_refresh_answers_202_and_queues_the_job(
    api_as, planner, open_consultation, commented, analyse, django_capture_on_commit_callbacks
):
    analyse(open_consultation)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(planner).post(
            reverse("consultation-themes-refresh", args=[open_consultation.pk])
        )
    assert response.status_code == 202
    assert response.json() == {"status": "stale"}
    # The queue runs jobs inline under pytest (immediate mode): it has computed again.
    assert Analysis.objects.get(consultation=open_consultation).status == "ready"


@pytest.mark.parametrize(
    ("persona", "read", "refresh"),
    [
        ("planner", 200, 202),
        ("official", 200, 202),
        ("moderator", 200, 403),
        ("member", 403, 403),
        ("citizen", 403, 403),
    ],
)
def test_staff_read_the_analysis_planners_and_officials_refresh_it(
    api_as, request, persona, read, refresh, open_consultation
):
    client = api_as(request.getfixturevalue(persona))
    assert client.get(themes_url(open_consultation)).status_code == read
    assert client.get(groups_url(open_consultation)).status_code == read
    refreshed = client.post(reverse("consultation-themes-refresh", args=[open_consultation.pk]))
    assert refreshed.status_code == refresh


def test_the_public_is_asked_to_sign_in(api_as, open_consultation):
    assert api_as(None).get(themes_url(open_consultation)).status_code == 401


def test_a_draft_is_invisible_to_those_who_may_not_see_it(api_as, member, draft_consultation):
    assert api_as(member).get(themes_url(draft_consultation)).status_code == 404


def test_the_reads_are_one_query_per_list_not_per_comment(
    open_consultation, commented, analyse, django_assert_max_num_queries
):
    analyse(open_consultation)
    with django_assert_max_num_queries(4):
        selectors.themes(open_consultation)
    with django_assert_max_num_queries(4):
        selectors.duplicate_groups(open_consultation)

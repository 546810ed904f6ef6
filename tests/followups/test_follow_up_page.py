"""The public "Tindak lanjut" page: accepted input with its latest status and history,
filters, and the officials' form."""

import pytest
from django.test import Client

from consultations.models import Consultation
from followups.models import FollowUp
from tests.factories import (
    AnalysisFactory,
    ConsultationFactory,
    FollowUpFactory,
    PlacementFactory,
    ThemeFactory,
)


def _url(consultation_id):
    return f"/konsultasi/{consultation_id}/tindak-lanjut/"


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anyone_sees_accepted_input_with_its_latest_status_and_history(accepted_response):
    FollowUpFactory(response=accepted_response, status="planned", progress=0, note="Dianggarkan.")
    FollowUpFactory(
        response=accepted_response, status="in_progress", progress=40, note="Tahap pertama."
    )
    page = _client().get(_url(accepted_response.consultation_id))
    assert page.status_code == 200
    text = page.content.decode()
    assert "saluran drainase perlu dinormalisasi" in text
    assert "LSM Pelita Pasuruan" in text
    assert '<progress class="bar" max="100" value="40"' in text
    assert "Dianggarkan." in text and "Tahap pertama." in text
    assert 'name="progress"' not in text  # no form for the public


def test_input_that_was_not_accepted_is_not_listed(drainage_comment, answer):
    answer(drainage_comment, "not_accepted")
    page = _client().get(_url(drainage_comment.consultation_id))
    assert "saluran drainase perlu dinormalisasi" not in page.content.decode()


def test_filters_by_status_section_and_theme(
    accepted_response, open_consultation, pasal_3, member, answer, post, generous_limits
):
    other = answer(post(member, open_consultation, section=pasal_3, body="Trotoar rusak."))
    FollowUpFactory(response=accepted_response, status="done", progress=100)
    theme = ThemeFactory(analysis=AnalysisFactory(consultation=open_consultation), label="Banjir")
    PlacementFactory(theme=theme, comment=accepted_response.comment)
    client = _client()

    def shown(**query):
        text = client.get(_url(open_consultation.pk), query).content.decode()
        return ("drainase perlu" in text, "Trotoar rusak." in text)

    assert shown() == (True, True)
    assert shown(status="done") == (True, False)
    assert shown(status="none") == (False, True)
    assert shown(section=pasal_3.pk) == (False, True)
    assert shown(theme=theme.pk) == (True, False)
    assert other.pk


def test_a_bad_filter_is_ignored_with_a_message(accepted_response):
    page = _client().get(_url(accepted_response.consultation_id), {"status": "x", "section": "y"})
    assert page.status_code == 200
    assert "drainase perlu" in page.content.decode()


def test_a_draft_consultation_has_no_follow_up_page(official):
    draft = ConsultationFactory(status=Consultation.Status.DRAFT)
    assert _client().get(_url(draft.pk)).status_code == 404
    assert _client(official).get(_url(draft.pk)).status_code == 404


def test_an_official_records_progress_from_the_page(official, accepted_response):
    client = _client(official)
    page = client.get(_url(accepted_response.consultation_id))
    assert 'name="progress"' in page.content.decode()
    answer = client.post(
        _url(accepted_response.consultation_id),
        {
            "target": f"response:{accepted_response.pk}",
            "status": "in_progress",
            "progress": "40",
            "note": "Normalisasi saluran berjalan.",
            "link": "",
        },
    )
    assert answer.status_code == 302
    row = FollowUp.objects.get()
    assert (row.response_id, row.status, row.progress) == (accepted_response.pk, "in_progress", 40)


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"progress": "140"}, 400),
        ({"target": "response:999999"}, 400),
        ({"target": "response:" + "9" * 30}, 400),
        ({"target": "x"}, 400),
        ({"link": "javascript:alert(1)"}, 400),
    ],
)
def test_bad_input_on_the_page_shows_an_error_and_writes_nothing(
    official, accepted_response, changes, code
):
    data = {
        "target": f"response:{accepted_response.pk}",
        "status": "in_progress",
        "progress": "40",
        "note": "Catatan.",
    }
    data.update(changes)
    answer = _client(official).post(_url(accepted_response.consultation_id), data)
    assert answer.status_code == code
    assert 'role="alert"' in answer.content.decode()
    assert not FollowUp.objects.exists()


def test_a_not_accepted_response_on_the_page_is_a_409(official, drainage_comment, answer):
    response = answer(drainage_comment, "noted")
    data = {"target": f"response:{response.pk}", "status": "done", "progress": "100", "note": "x"}
    page = _client(official).post(_url(drainage_comment.consultation_id), data)
    assert page.status_code == 409
    assert not FollowUp.objects.exists()


def test_only_officials_post_on_the_page(citizen, member, accepted_response):
    data = {
        "target": f"response:{accepted_response.pk}",
        "status": "done",
        "progress": "100",
        "note": "x",
    }
    for user in (citizen, member):
        assert _client(user).post(_url(accepted_response.consultation_id), data).status_code == 403
    assert not FollowUp.objects.exists()


def test_the_page_costs_a_few_queries_whatever_the_history(
    accepted_response, django_assert_max_num_queries
):
    for n in range(20):
        FollowUpFactory(response=accepted_response, progress=n)
    client = _client()
    with django_assert_max_num_queries(12):
        page = client.get(_url(accepted_response.consultation_id))
    assert page.status_code == 200


def test_the_final_report_links_to_the_follow_up_page(accepted_response):
    consultation = accepted_response.consultation
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.CONCLUDED)
    page = _client().get(f"/konsultasi/{consultation.pk}/laporan-akhir/")
    text = page.content.decode()
    assert f"/konsultasi/{consultation.pk}/tindak-lanjut/" in text
    assert f"/data/konsultasi/{consultation.pk}/datapackage.json" in text

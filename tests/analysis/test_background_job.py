"""A change to a consultation's comments marks its analysis stale and queues one debounced
job; the job computes; `manage.py analyze_comments` runs it in the foreground."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from analysis import services, tasks
from analysis.models import Analysis
from comments import services as comment_services
from tests.factories import CommentFactory


@pytest.fixture
def queued(monkeypatch):
    """The consultation ids the debounced job was scheduled for (instead of the queue)."""
    calls = []
    monkeypatch.setattr(
        tasks.analyze, "schedule", lambda args, delay: calls.append((args[0], delay))
    )
    return calls


def test_a_new_comment_marks_the_analysis_stale_and_queues_one_job_after_commit(
    open_consultation, member, post, queued, django_capture_on_commit_callbacks, generous_limits
):
    with django_capture_on_commit_callbacks(execute=True):
        post(member, open_consultation)
        post(member, open_consultation)
    analysis = Analysis.objects.get(consultation=open_consultation)
    assert analysis.status == "stale"
    assert analysis.changes == 2
    assert queued == [(open_consultation.pk, tasks.DEBOUNCE_SECONDS)]  # debounced: one job


def test_nothing_is_queued_when_the_change_rolls_back(open_consultation, queued):
    with pytest.raises(RuntimeError), transaction.atomic():
        CommentFactory(consultation=open_consultation)
        raise RuntimeError
    assert queued == []


def test_a_counter_that_says_nothing_about_the_text_does_not_mark_it_stale(
    open_consultation, published_comment, analyse
):
    analyse(open_consultation)
    published_comment.report_count = 2
    published_comment.save(update_fields=["report_count"])
    assert Analysis.objects.get(consultation=open_consultation).status == "ready"


def test_the_job_computes_and_leaves_it_ready(open_consultation, published_comment):
    assert tasks.analyze.call_local(open_consultation.pk) == "ready"
    analysis = Analysis.objects.get(consultation=open_consultation)
    assert analysis.status == "ready"
    assert analysis.comment_count == 1
    assert analysis.placements.get().comment == published_comment


def test_a_ready_result_is_not_computed_again(open_consultation, published_comment, analyse):
    first = analyse(open_consultation)
    again = services.analysis_compute(consultation=open_consultation)
    assert again.computed_at == first.computed_at


def test_a_change_during_the_computation_leaves_the_result_stale(
    open_consultation, published_comment, monkeypatch
):
    real = services._compute

    def slow(rows):
        CommentFactory(consultation=open_consultation)  # someone comments meanwhile
        return real(rows)

    monkeypatch.setattr(services, "_compute", slow)
    analysis = services.analysis_compute(consultation=open_consultation)
    assert analysis.status == "stale"
    assert analysis.comment_count == 1


def test_a_failed_computation_does_not_stay_computing(
    open_consultation, published_comment, monkeypatch
):
    monkeypatch.setattr(services, "_compute", lambda rows: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.analysis_compute(consultation=open_consultation)
    assert Analysis.objects.get(consultation=open_consultation).status == "stale"


def test_a_deleted_comment_marks_it_stale_too(
    open_consultation, member, analyse, generous_limits, post
):
    comment = post(member, open_consultation)
    analyse(open_consultation)
    comment_services.comment_delete(actor=member, comment=comment)
    assert Analysis.objects.get(consultation=open_consultation).status == "stale"


def test_deleting_a_consultation_with_comments_is_not_blocked_by_its_analysis(db, analyse):
    comment = CommentFactory()
    analyse(comment.consultation)
    comment.consultation.delete()
    assert not Analysis.objects.exists()


def test_the_command_computes_in_the_foreground(open_consultation, published_comment):
    out = io.StringIO()
    call_command("analyze_comments", str(open_consultation.pk), stdout=out)
    assert "1 comments" in out.getvalue()
    assert Analysis.objects.get(consultation=open_consultation).status == "ready"

"""check_tallies recounts every tally from the votes, reports drift and repairs it with --fix."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from voting import services
from voting.models import Tally

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("check_tallies", *args, stdout=out)
    return out.getvalue()


def test_no_drift_after_votes_through_the_service(
    representative, other_representative, stance_item
):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="against")
    services.vote_cast(actor=representative, item=stance_item, choice="abstain")

    assert "no drift" in run()


def test_drift_is_reported_and_fails(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    Tally.objects.filter(item=stance_item).update(for_count=5, against_count=2)

    with pytest.raises(CommandError):
        run()


def test_fix_repairs_drift_and_a_second_run_is_clean(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    Tally.objects.filter(item=stance_item).update(for_count=5, against_count=2)

    with pytest.raises(CommandError, match="repaired"):
        run("--fix")

    tally = Tally.objects.get(item=stance_item)
    assert (tally.for_count, tally.against_count) == (1, 0)
    assert "no drift" in run()


def test_a_missing_tally_row_with_votes_is_drift(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    Tally.objects.filter(item=stance_item).delete()

    with pytest.raises(CommandError):
        run()
    with pytest.raises(CommandError):
        run("--fix")
    assert "no drift" in run()

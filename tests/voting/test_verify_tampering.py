"""Issue 14, finding 10: `verify_votes` missed a careful insider.

Each test edits the database behind the application's back, as someone with database
access would, and `verify_votes` must fail: a truncated chain with its head wound back and
the votes and tallies repaired (caught by a head written down earlier, and by the vote rows
that no longer match their latest record), a deleted chain row, an edited receipt or
`cast_by`.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from voting import services
from voting.models import Tally, Vote, VoteChain, VoteRecord
from voting.verify_log import GENESIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(representative, other_representative, stance_item):
    """Pelita votes for, Harapan abstains, then Pelita changes to against (3 records)."""
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="abstain")
    services.vote_cast(actor=representative, item=stance_item, choice="against")
    return stance_item.consultation


def verify(*args) -> str:
    """Run verify_votes; its output when it passes, CommandError (with the output) when not."""
    out = StringIO()
    try:
        call_command("verify_votes", *args, stdout=out)
    except CommandError as error:
        raise CommandError(out.getvalue()) from error
    return out.getvalue()


def head_of(consultation) -> str:
    return VoteChain.objects.get(consultation=consultation).head


def truncate_and_cover_up(consultation, organization, item, *, receipt_too: bool):
    """Delete the last record, wind the head back and make votes and tallies agree again."""
    last = VoteRecord.objects.filter(consultation=consultation).order_by("-seq").first()
    VoteRecord.objects.filter(pk=last.pk).delete()  # a queryset delete skips the model guard
    before = VoteRecord.objects.filter(consultation=consultation).order_by("-seq").first()
    VoteChain.objects.filter(consultation=consultation).update(length=before.seq, head=before.hash)
    restored = VoteRecord.objects.get(
        consultation=consultation, organization=organization, item=item, seq=1
    )
    fields = {"choice": restored.choice}
    if receipt_too:
        fields.update(receipt=restored.hash, cast_by=restored.actor)
    Vote.objects.filter(organization=organization, item=item).update(**fields)
    Tally.objects.filter(item=item).update(for_count=1, against_count=0)


def test_an_intact_chain_passes_with_and_without_a_written_down_head(chain):
    head = head_of(chain)

    assert "OK consultation" in verify()
    assert "OK consultation" in verify("--head", head)
    assert "OK consultation" in verify("--consultation", str(chain.pk), "--head", head.upper())
    assert "OK consultation" in verify("--head", GENESIS)


def test_truncation_with_the_head_wound_back_is_caught_by_the_stale_receipt(
    chain, organization, stance_item
):
    truncate_and_cover_up(chain, organization, stance_item, receipt_too=False)

    with pytest.raises(CommandError, match="receipt"):
        verify("--consultation", str(chain.pk))


def test_a_perfect_cover_up_of_a_truncation_is_caught_by_a_head_written_down_before(
    chain, organization, stance_item
):
    written_down = head_of(chain)
    truncate_and_cover_up(chain, organization, stance_item, receipt_too=True)

    assert "OK consultation" in verify()  # consistent in itself: only the old head knows
    with pytest.raises(CommandError, match="no chain reaches it"):
        verify("--head", written_down)
    with pytest.raises(CommandError, match="no longer reaches the head"):
        verify("--consultation", str(chain.pk), "--head", written_down)


def test_a_deleted_chain_row_fails(chain):
    VoteChain.objects.filter(consultation=chain).delete()

    with pytest.raises(CommandError, match="chain head row is missing"):
        verify()
    with pytest.raises(CommandError, match="chain head row is missing"):
        verify("--consultation", str(chain.pk))


def test_an_edited_receipt_fails(chain, organization, stance_item):
    Vote.objects.filter(organization=organization, item=stance_item).update(receipt="a" * 64)

    with pytest.raises(CommandError, match="receipt"):
        verify()


def test_an_edited_cast_by_fails(chain, organization, stance_item, member):
    Vote.objects.filter(organization=organization, item=stance_item).update(cast_by=member)

    with pytest.raises(CommandError, match="cast_by"):
        verify()


def test_a_vote_row_the_chain_never_recorded_fails(chain, stance_item, other_organization):
    Vote.objects.filter(organization=other_organization, item=stance_item).delete()
    Tally.objects.filter(item=stance_item).update(abstain_count=0)

    with pytest.raises(CommandError, match="no vote row"):
        verify()


def test_a_head_that_is_not_a_hash_is_refused_with_a_message(chain):
    with pytest.raises(CommandError, match="not a chain head"):
        call_command("verify_votes", "--head", "not-a-hash")

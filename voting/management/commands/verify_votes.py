"""Recompute every consultation's vote chain and hold the votes and tallies against it."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from consultations.models import Consultation
from voting import chain
from voting.integrity import verify_consultation
from voting.models import Vote, VoteChain, VoteRecord


class Command(BaseCommand):
    help = "Verify the vote audit chains; exit 1 on any tampering or mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--consultation", type=int, help="only this consultation")
        parser.add_argument(
            "--head",
            action="append",
            default=[],
            metavar="HASH",
            help="a chain head written down earlier (repeatable): the chain must still reach it",
        )

    def handle(self, *args, consultation=None, head=(), **options):
        heads = [self._parse_head(each) for each in head]
        # Every consultation with anything of a vote: a deleted chain row must not hide one.
        consultations = Consultation.objects.filter(
            Q(pk__in=VoteChain.objects.values("consultation"))
            | Q(pk__in=VoteRecord.objects.values("consultation"))
            | Q(pk__in=Vote.objects.values("item__consultation"))
        )
        if consultation is not None:
            consultations = Consultation.objects.filter(pk=consultation)
        consultations = consultations.order_by("pk")
        failures = 0
        heads_of = self._heads_by_consultation(heads, consultation)
        for each in consultations:
            problems, replayed = verify_consultation(each, heads=heads_of.pop(each.pk, []))
            if problems:
                failures += 1
                self.stdout.write(self.style.ERROR(f"FAIL consultation {each.pk}: {each}"))
                for problem in problems:
                    self.stdout.write(f"  {problem}")
            else:
                totals = sum(sum(c.values()) for c in replayed.values())
                self.stdout.write(
                    self.style.SUCCESS(f"OK consultation {each.pk}: {totals} current votes")
                )
        for lost in heads_of.get(None, []):
            failures += 1
            self.stdout.write(
                self.style.ERROR(
                    f"FAIL head {lost}: no chain reaches it any more (records removed or rewritten)"
                )
            )
        if failures:
            raise CommandError(f"{failures} verification(s) failed")

    def _parse_head(self, text: str) -> str:
        head = text.strip().lower()
        if not chain.HASH.fullmatch(head):
            raise CommandError(f"--head {text!r} is not a chain head (64 hexadecimal digits)")
        return head

    def _heads_by_consultation(self, heads: list[str], consultation: int | None) -> dict:
        """{consultation id: heads}; the heads found in no chain under None."""
        if consultation is not None:
            return {consultation: heads}
        found = dict(VoteRecord.objects.filter(hash__in=heads).values_list("hash", "consultation"))
        by_consultation: dict = {}
        for head in heads:
            if head == chain.GENESIS:
                continue
            by_consultation.setdefault(found.get(head), []).append(head)
        return by_consultation

"""Recompute every consultation's vote chain and hold the votes and tallies against it."""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import Consultation
from voting.integrity import verify_consultation
from voting.models import VoteChain


class Command(BaseCommand):
    help = "Verify the vote audit chains; exit 1 on any tampering or mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--consultation", type=int, help="only this consultation")

    def handle(self, *args, consultation=None, **options):
        consultations = Consultation.objects.filter(
            pk__in=VoteChain.objects.values("consultation")
        ).order_by("pk")
        if consultation is not None:
            consultations = Consultation.objects.filter(pk=consultation)
        failures = 0
        for each in consultations:
            problems, replayed = verify_consultation(each)
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
        if failures:
            raise CommandError(f"{failures} consultation(s) failed verification")

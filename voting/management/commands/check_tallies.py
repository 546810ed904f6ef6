"""Recount every tally from the votes; report drift, and repair it with --fix."""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import Item
from voting import services
from voting.integrity import tally_drift


class Command(BaseCommand):
    help = "Recount tallies from votes; exit 1 if any drifted (with --fix, repair them too)."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="rewrite drifted tallies")
        parser.add_argument("--consultation", type=int, help="only this consultation's items")

    def handle(self, *args, fix=False, consultation=None, **options):
        items = Item.objects.all()
        if consultation is not None:
            items = items.filter(consultation_id=consultation)
        drift = tally_drift(items)
        for item, stored, counted in drift:
            changed = {c: (stored[c], counted[c]) for c in stored if stored[c] != counted[c]}
            detail = ", ".join(f"{c} {a}→{b}" for c, (a, b) in changed.items())
            self.stdout.write(f"DRIFT item {item.pk} ({item}): {detail}")
            if fix:
                services.tally_recount(actor=None, item=item)
                self.stdout.write(f"  repaired item {item.pk}")
        if drift:
            verb = "repaired" if fix else "found"
            raise CommandError(f"{len(drift)} drifted tallies {verb}")
        self.stdout.write(self.style.SUCCESS(f"OK: {items.count()} items, no drift"))

"""`manage.py analyze_comments <consultation id> [...]`: compute the analysis now, here."""

from django.core.management.base import BaseCommand, CommandError

from analysis import selectors, services
from consultations.models import Consultation


class Command(BaseCommand):
    help = "Compute the themes and duplicate groups of consultations in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("consultation_ids", nargs="+", type=int)

    def handle(self, *args, consultation_ids, **options):
        for consultation_id in consultation_ids:
            consultation = Consultation.objects.filter(pk=consultation_id).first()
            if consultation is None:
                raise CommandError(f"No consultation {consultation_id}.")
            analysis = services.analysis_compute(consultation=consultation, force=True)
            found = selectors.themes(consultation)
            groups = selectors.duplicate_groups(consultation)
            campaigns = sum(1 for group in groups["groups"] if group["campaign"])
            self.stdout.write(
                f"Consultation {consultation_id}: {analysis.comment_count} comments, "
                f"{len(found['themes'])} themes, {len(groups['groups'])} duplicate groups "
                f"({campaigns} campaigns) in {analysis.duration_ms / 1000:.1f} s "
                f"[{analysis.status}]"
            )
            for theme in found["themes"]:
                self.stdout.write(f"  {theme['size']:>6}  {theme['label']}")

"""The README's run command: migrate, load the demo into an empty database, serve with Daphne."""

from daphne.cli import CommandLineInterface
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.management.commands.load_demo import DEMO_PASSWORD, demo_exists


class Command(BaseCommand):
    help = "Migrate, load the Pasuruan demo if the database is empty, and start Daphne."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the database, do not start Daphne."
        )

    def handle(self, *args, host, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Database already has data; the demo is not loaded again.")
        else:
            call_command("load_demo", stdout=self.stdout)
        if no_serve:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Ruang Dialog: http://{host}:{port}/ — accounts in README.md "
                f"(password {DEMO_PASSWORD}); stop with Ctrl+C."
            )
        )
        CommandLineInterface().run(["-b", host, "-p", str(port), "backend.asgi:application"])

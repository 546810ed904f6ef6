"""The README's run command: migrate, load the demo into an empty database, serve with Daphne,
and run the job queue's consumer (Huey) in the same process, so the clock opens and closes
consultations on time without a second command."""

import argparse
import logging

from daphne.cli import CommandLineInterface
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, DjangoHelpFormatter
from django.utils.module_loading import autodiscover_modules
from huey.consumer import Consumer
from huey.contrib.djhuey import HUEY

from demo.hearings import hearing_links
from demo.management.commands.load_demo import DEMO_PASSWORD, demo_exists

HELP = f"""Run the Ruang Dialog demo of Kota Pasuruan in one process.

Steps, each start:
  1. migrate the database (var/db.sqlite3, or DATABASE_URL);
  2. load the demo data if the database is empty (accounts, organisations,
     four consultations, comments, votes, a hearing ready to go live);
     a database with data is left as it is;
  3. print the site's address and the hearing's room, console and big-screen
     links (the big screen needs its display key: open it on the projector);
  4. serve the site with Daphne (HTTP and WebSocket) and run the job queue's
     consumer (Huey), which opens and closes consultations on the clock.
Stop with Ctrl+C.

Accounts (password {DEMO_PASSWORD}; all of them in README.md):
  bappeda      official: consultations, hearings (console)
  moderator    moderator: approves comments, runs the live feed
  planner      planner: dashboards, exports, responses
  pelita       representative of a verified LSM: comments and votes
  warga        citizen: comments where a consultation is open to the public

Start again from scratch: stop the demo, delete var/db.sqlite3 (or the
directory RUANG_VAR_DIR names) and run the command again."""


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's ordering of the options, with the description's lines kept as written."""


class EmbeddedConsumer(Consumer):
    """Huey's consumer as threads beside Daphne: Daphne owns the process's signals (Ctrl+C
    stops it, then this command stops the consumer)."""

    def _set_signal_handlers(self):
        pass


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 lets "
            "phones on the same network join, add their address to DJANGO_ALLOWED_HOSTS).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default 8000)."
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only migrate, load the demo and print the links; do not start the server.",
        )

    def handle(self, *args, host, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Database already has data; the demo is not loaded again.")
        else:
            call_command("load_demo", stdout=self.stdout)
        base_url = f"http://{host}:{port}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Ruang Dialog: {base_url}/ — accounts in README.md "
                f"(password {DEMO_PASSWORD}); stop with Ctrl+C."
            )
        )
        for line in hearing_links(base_url):
            self.stdout.write(line)
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(
                f"E-mail (notifications): written as files to {settings.EMAIL_FILE_PATH}/ "
                "(set EMAIL_URL to send them; docs/NOTIFICATIONS.md)."
            )
        else:
            self.stdout.write(f"E-mail (notifications): sent with {settings.EMAIL_BACKEND}.")
        if no_serve:
            return
        consumer = self.start_consumer()
        try:
            # demo.asgi: the site with its static files answered before Django (one process).
            CommandLineInterface().run(["-b", host, "-p", str(port), "demo.asgi:application"])
        finally:
            consumer.stop(graceful=True)
            self.stdout.write("Huey consumer stopped.")

    def start_consumer(self) -> Consumer:
        """Start the workers and the scheduler of the periodic jobs (every app's tasks.py)."""
        autodiscover_modules("tasks")
        options = {**settings.HUEY.get("consumer", {}), "shutdown_timeout": 10}
        consumer = EmbeddedConsumer(HUEY, **options)
        consumer.start()
        # What the clock does is worth seeing in the demo's console.
        logging.getLogger("consultations.tasks").setLevel(logging.INFO)
        where = getattr(HUEY.storage, "filename", None) or type(HUEY.storage).__name__
        self.stdout.write(
            f"Huey consumer started ({consumer.workers} worker threads, queue {where}): "
            "the clock opens and closes consultations every minute."
        )
        return consumer

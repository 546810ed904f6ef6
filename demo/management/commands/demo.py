"""The README's run command: migrate, load the demo into an empty database, serve with Daphne,
and run the job queue's consumer (Huey) in the same process, so the clock opens and closes
consultations on time without a second command."""

import logging

from daphne.cli import CommandLineInterface
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules
from huey.consumer import Consumer
from huey.contrib.djhuey import HUEY

from demo.management.commands.load_demo import DEMO_PASSWORD, demo_exists


class EmbeddedConsumer(Consumer):
    """Huey's consumer as threads beside Daphne: Daphne owns the process's signals (Ctrl+C
    stops it, then this command stops the consumer)."""

    def _set_signal_handlers(self):
        pass


class Command(BaseCommand):
    help = (
        "Migrate, load the Pasuruan demo if the database is empty, and start Daphne with "
        "the job queue's consumer."
    )

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
        consumer = self.start_consumer()
        self.stdout.write(
            self.style.SUCCESS(
                f"Ruang Dialog: http://{host}:{port}/ — accounts in README.md "
                f"(password {DEMO_PASSWORD}); stop with Ctrl+C."
            )
        )
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

"""`manage.py clock`: queues the daily jobs of settings.SCHEDULE (the notices' digest) when their hour comes,
and the jobs of settings.EVERY_MINUTE at each check (the sweep of tests past their deadline).
`python -m ustaz run/serve` starts it beside the task worker; in a scaled deployment run it anywhere, once or
more: a job runs once a day however many clocks there are."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from ustaz.core.services import scheduled_jobs_start


class Command(BaseCommand):
    help = "Queue the daily jobs of the SCHEDULE setting when their hour comes (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between checks")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            for job in scheduled_jobs_start():
                self.stdout.write(f"queued {job}")
            for path in settings.EVERY_MINUTE:
                import_string(path).enqueue()
            if once:
                return
            time.sleep(interval)

"""``redchain serve``: collect static files and serve the application (no migrations, no demo data)."""

from django.core.management.base import BaseCommand

from redchain.core.management.serving import add_serve_arguments, collect_and_serve, url


class Command(BaseCommand):
    help = "Collect static files and serve redchain with Django's threaded server (no migrations are run)."

    def add_arguments(self, parser):
        add_serve_arguments(parser)

    def handle(self, *args, host: str, port: int, verbosity: int, **options) -> None:
        self.stdout.write(f"Serving redchain at {url(host=host, port=port)}")
        collect_and_serve(host=host, port=port, verbosity=verbosity)

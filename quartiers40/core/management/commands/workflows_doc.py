"""Write docs/workflows.md from the transition tables (`core/workflows.py`)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from quartiers40.core.workflows import workflows_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "workflows.md"


class Command(BaseCommand):
    help = "Écrit docs/workflows.md (diagrammes d'états) à partir des tables de transitions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Échoue si le fichier n'est pas à jour."
        )

    def handle(self, *args, check: bool, **options):
        text = workflows_markdown()
        if check:
            if not DOC.exists() or DOC.read_text() != text:
                self.stderr.write("docs/workflows.md is stale: run `manage.py workflows_doc`.")
                raise SystemExit(1)
            self.stdout.write("docs/workflows.md is up to date.")
            return
        DOC.write_text(text)
        self.stdout.write(f"Wrote {DOC}.")

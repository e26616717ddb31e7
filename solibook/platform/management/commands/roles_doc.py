from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from solibook.platform.roles_matrix import render_markdown


class Command(BaseCommand):
    help = "Write docs/roles.md from accounts/roles.py and the URL configuration."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "roles.md"
        path.write_text(render_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")

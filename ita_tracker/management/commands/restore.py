"""``python manage.py restore FILE.tar.gz [--force]``: put a ``backup`` archive back into the configured
database and MEDIA_ROOT. It refuses to overwrite a database that already has data unless ``--force``."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ita_tracker.management.commands.backup import pg_args, pg_env


class Command(BaseCommand):
    help = "Restore a backup archive (database and uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="overwrite a database that already has data")

    def _has_data(self) -> bool:
        tables = connection.introspection.table_names()
        if "auth_user" not in tables:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM auth_user")
            return cursor.fetchone()[0] > 0

    def handle(self, *args, archive: Path, force: bool, **options):
        if not archive.exists():
            raise CommandError(f"no such file: {archive}")
        if self._has_data() and not force:
            raise CommandError("the database already has data; use --force to overwrite it")
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
            manifest = json.loads((Path(tmp) / "manifest.json").read_text())
            if manifest["vendor"] != connection.vendor:
                raise CommandError(
                    f"the archive holds a {manifest['vendor']} database; this one is {connection.vendor}"
                )
            db = connection.settings_dict
            if connection.vendor == "postgresql":
                connection.close()
                result = subprocess.run(
                    [
                        "pg_restore",
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                        "--dbname",
                        db["NAME"],
                        *pg_args(db),
                        str(Path(tmp) / "database.dump"),
                    ],
                    env=pg_env(db),
                    capture_output=True,
                    text=True,
                )
                if result.returncode != 0:
                    raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
            else:
                connection.close()
                source = sqlite3.connect(Path(tmp) / "database.sqlite3")
                target = sqlite3.connect(db["NAME"])
                with target:
                    source.backup(target)
                source.close()
                target.close()
            media = Path(tmp) / "media"
            if media.exists():
                Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {archive} ({manifest['vendor']}, made {manifest['created_at']})")
        )

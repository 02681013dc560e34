"""``python manage.py backup --out FILE.tar.gz``: the database and the uploaded files in one archive.

PostgreSQL is dumped with ``pg_dump --format=custom`` (consistent while the application runs); SQLite is
copied with SQLite's online backup API (consistent too). Uploaded files (emblems, evidence, job results)
are added from MEDIA_ROOT. ``restore`` reads the same archive back.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone


def pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, out: Path, **options):
        db = connection.settings_dict
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3")
            if connection.vendor == "postgresql":
                result = subprocess.run(
                    ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *pg_args(db), db["NAME"]],
                    env=pg_env(db),
                    capture_output=True,
                    text=True,
                )
                if result.returncode != 0:
                    raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            elif connection.vendor == "sqlite":
                source = sqlite3.connect(db["NAME"])
                target = sqlite3.connect(dump)
                with target:
                    source.backup(target)
                source.close()
                target.close()
            else:
                raise CommandError(f"backup supports PostgreSQL and SQLite, not {connection.vendor}")
            manifest = {
                "vendor": connection.vendor,
                "created_at": timezone.now().isoformat(),
                "migrations": MigrationRecorder(connection).migration_qs.count(),
            }
            with tarfile.open(out, "w:gz") as archive:
                archive.add(dump, arcname=dump.name)
                data = json.dumps(manifest).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                media = Path(settings.MEDIA_ROOT)
                if media.exists():
                    archive.add(media, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {out} ({out.stat().st_size:,} bytes)"))

"""Back up a database with data, restore it into an empty one, and find the same data."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
COUNT_SCRIPT = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m.objects.count() for m in apps.get_models()}))
"""


def manage(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def counts(env) -> dict:
    return json.loads(manage(env, "shell", "-c", COUNT_SCRIPT).stdout.strip().splitlines()[-1])


def environment(tmp_path: Path, name: str, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATA_DIR"}}
    env["DATA_DIR"] = str(tmp_path / name)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _admin(db: dict):
    """A connection to the server's maintenance database, for CREATE/DROP DATABASE (outside transactions)."""
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or "postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        password=db.get("PASSWORD") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def databases(tmp_path):
    """Two empty databases of the kind the suite runs on (two SQLite files, or two PostgreSQL databases)."""
    if connection.vendor != "postgresql":
        yield environment(tmp_path, "a", None), environment(tmp_path, "b", None)
        return
    db = connection.settings_dict
    base = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    names = [f"ita_backup_{uuid.uuid4().hex[:8]}_{x}" for x in "ab"]
    admin = _admin(db)
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(environment(tmp_path, x, f"{base}/{n}") for x, n in zip("ab", names, strict=True))
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_restores_into_an_empty_database_with_the_same_data(databases, tmp_path):
    source, target = databases
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "load_demo")
    evidence = Path(source["DATA_DIR"]) / "media" / "evidence" / "1" / "sample"
    evidence.parent.mkdir(parents=True, exist_ok=True)  # the demo's own evidence files may be there already
    evidence.write_bytes(b"%PDF-1.4 evidence")
    archive = tmp_path / "backup.tar.gz"
    manage(source, "backup", "--out", str(archive))
    before = counts(source)
    # The five seed agencies and the current cycle's generated province; the seeds' two memos and the cycle's.
    assert before["agencies.Agency"] >= 35 and before["reports.Memo"] > 2

    manage(target, "migrate", "--noinput", "-v0")
    manage(target, "restore", str(archive))
    assert counts(target) == before
    assert (Path(target["DATA_DIR"]) / "media" / "evidence" / "1" / "sample").read_bytes() == b"%PDF-1.4 evidence"

    # A database with data is not overwritten by mistake.
    refused = manage(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr

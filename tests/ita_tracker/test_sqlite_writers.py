"""Under ``make run`` (SQLite) the embedded worker seals memos while pages write sessions and audit entries.
Two writers must wait for each other, not fail with "database is locked" (a demo seal job did, before the
settings took the write lock at BEGIN)."""

import threading

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler


def _connection(path):
    options = dict(settings.DATABASES["default"])
    options["NAME"] = str(path)
    options.pop("TEST", None)
    return ConnectionHandler({"default": options})["default"]


def _write(path, *, holding, reading_done, errors, hold_seconds=0.0):
    connection = _connection(path)
    try:
        # What transaction.atomic() does on SQLite: BEGIN (in the configured mode), then read, then write.
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM job")
            if reading_done is not None:
                reading_done.set()
            if holding is not None:
                holding.wait(5)
            cursor.execute("INSERT INTO job (n) VALUES (1)")
            if hold_seconds:
                threading.Event().wait(hold_seconds)
        connection.commit()
        connection.set_autocommit(True)
    except Exception as exc:  # the failure under test is raised in the thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite's locking only"
)
def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        _two_writers(tmp_path)


def _two_writers(tmp_path):
    path = tmp_path / "shared.sqlite3"
    setup = _connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE job (n integer)")
    setup.close()

    errors: list[Exception] = []
    first_read = threading.Event()
    # The worker: reads, then writes and holds its transaction open for a moment (a seal being stored).
    worker = threading.Thread(
        target=_write,
        args=(path,),
        kwargs={"holding": None, "reading_done": first_read, "errors": errors, "hold_seconds": 0.5},
    )
    # The page: starts its transaction while the worker's is open, reads, then writes.
    page = threading.Thread(
        target=_write, args=(path,), kwargs={"holding": None, "reading_done": None, "errors": errors}
    )
    worker.start()
    first_read.wait(5)
    page.start()
    worker.join(10)
    page.join(10)

    assert errors == []
    check = _connection(path)
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM job")
        assert cursor.fetchone()[0] == 2
    check.close()

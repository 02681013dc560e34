"""Writing rows fast: PostgreSQL ``COPY`` from a second thread, ``executemany`` or ``bulk_create``."""

from __future__ import annotations

import io
import json
import queue
import threading
import time
from collections import defaultdict

from django.db import connection
from django.db.models import Max

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
    return str(value)  # int, Decimal, date, aware datetime ("2024-01-01 09:00:00+07:00")


class Writer:
    """Writes rows of ``(attname, …)`` tuples: PostgreSQL ``COPY``, ``executemany`` or ``bulk_create``.

    With ``COPY`` the rows go out from a background thread on the same connection (so in the same
    transaction) while the main thread builds the next chunk: Python and PostgreSQL work at the same time
    on a two-core machine. The main thread issues no query until :meth:`close` has drained the queue.
    """

    def __init__(self, method: str, batch_size: int):
        self.method = method
        self.batch_size = batch_size
        self.counts: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self._queue: queue.Queue | None = None
        self._error: BaseException | None = None
        self._aborting = False

    def start(self) -> None:
        if self.method != "copy":
            return
        connection.ensure_connection()
        self._raw = connection.connection  # psycopg2 connections may be shared between threads
        self._queue = queue.Queue(maxsize=3)  # bounds the memory held by chunks waiting to be written
        self._thread = threading.Thread(target=self._run, name="generate_data-copy", daemon=True)
        self._thread.start()

    def close(self, abort: bool = False) -> None:
        """Wait until every row is written and raise what the database refused; or, with ``abort``, skip
        what is still queued."""
        if self._queue is not None:
            self._aborting = abort
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        if not abort:
            self._raise()

    def flush(self) -> None:
        """Wait until every queued row is in the database, so the main thread may read it (the product's
        builders do); the background thread stays ready for the next chunk."""
        if self._queue is not None:
            self._queue.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            with connection.wrap_database_errors:  # psycopg2's IntegrityError → Django's
                raise error

    def write(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self._queue is not None:
            self._raise()
            self._queue.put((model, columns, rows))
            return
        started = time.perf_counter()
        if self.method == "insert":
            self._insert(model, columns, rows)
        else:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in batch])
            # DEBUG keeps the text of every query; a bulk insert's text is large.
            connection.queries_log.clear()
        self._count(model, rows, started)

    def _count(self, model, rows, started) -> None:
        label = model._meta.label
        self.counts[label] += len(rows)
        self.seconds[label] += time.perf_counter() - started

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                if self._error is None and not self._aborting:  # else drain: the transaction is lost anyway
                    started = time.perf_counter()
                    self._copy(*job)
                    self._count(job[0], job[2], started)
            except BaseException as error:  # handed to the main thread
                self._error = error
            finally:
                self._queue.task_done()

    def _fields(self, model, columns):
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        return [by_attname[c] for c in columns]

    def _copy(self, model, columns, rows) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in self._fields(model, columns))
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with self._raw.cursor() as cursor:
            for start in range(0, len(rows), self.batch_size * 20):
                buffer = io.StringIO()
                buffer.writelines(
                    "\t".join([_copy_text(v) for v in row]) + "\n"
                    for row in rows[start : start + self.batch_size * 20]
                )
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)

    def _insert(self, model, columns, rows) -> None:
        fields = self._fields(model, columns)
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.batch_size):
                cursor.executemany(
                    sql,
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                        for row in rows[start : start + self.batch_size]
                    ],
                )


class Ids:
    """Primary keys handed out in Python, after the largest existing one."""

    def __init__(self, *model_classes):
        self.next: dict[type, int] = {}
        for model in model_classes:
            self.next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value

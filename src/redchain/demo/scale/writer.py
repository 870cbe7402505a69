"""Writing a batch of rows fast: ``COPY`` on PostgreSQL, one ``executemany`` per table on SQLite.

Before the load, each table's id counter is moved past a range of ids big enough for the load
(:func:`reserve_ids`), so the batches can be drawn in parallel and written with their ids while other writers
carry on after the range; :func:`release_ids` gives back what was not used. Each batch is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction

from redchain.audit.models import AuditEntry
from redchain.demands.models import Assignment, Demand, DemandEvent, DemandSearch, Rating, Supervision
from redchain.demo.scale.stories import COLUMNS

MODELS = {
    "demand": Demand,
    "assignment": Assignment,
    "event": DemandEvent,
    "rating": Rating,
    "search": DemandSearch,
    "supervision": Supervision,
    "audit": AuditEntry,
}
# Parents before children: SQLite checks foreign keys at commit, PostgreSQL's are deferred, but the order
# keeps a partial failure readable.
ORDER = ("demand", "assignment", "event", "rating", "supervision", "audit", "search")
SEQUENCED = ORDER[:-1]  # the search row's key is its demand's id


def table(name: str) -> str:
    return MODELS[name]._meta.db_table


# The most rows of each table one story writes (a coordinated, supervised, redone demand); each batch gets
# ids for this many per demand, so batches drawn in parallel never collide. Unused ids stay as gaps.
BOUND = {"demand": 1, "assignment": 2, "event": 10, "rating": 2, "supervision": 1, "audit": 10}
_reserved: dict[str, int] = {}  # table → the last id this load reserved


def reserve_ids(n: int) -> dict[str, int]:
    """Move each table's id counter past ids for ``n`` demands and return the first reserved id of each.

    Other writers carry on during the load and take ids after the reserved ranges.
    """
    bases = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(table(name)) for name in SEQUENCED)
            cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")  # readers carry on; for a moment only
        for name in SEQUENCED:
            quoted = connection.ops.quote_name(table(name))
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608 - a model's table
            base = max(cursor.fetchone()[0], _counter(cursor, name)) + 1
            bases[name] = base
            _reserved[name] = base + n * BOUND[name] - 1
            _set_counter(cursor, name, _reserved[name])
    return bases


def release_ids() -> None:
    """Give back the unused end of the reserved ranges, unless another writer has taken ids since."""
    with transaction.atomic(), connection.cursor() as cursor:
        for name, last in _reserved.items():
            if _counter(cursor, name) == last:
                quoted = connection.ops.quote_name(table(name))
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608 - a model's table
                _set_counter(cursor, name, cursor.fetchone()[0])
    _reserved.clear()


def _counter(cursor, name: str) -> int:
    """The last id handed out for the table (PostgreSQL's sequence, SQLite's AUTOINCREMENT counter)."""
    if connection.vendor == "postgresql":
        sequence = _sequence(cursor, name)  # the name PostgreSQL gives a model table's sequence
        cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence}")  # noqa: S608
    else:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table(name)])
    return cursor.fetchone()[0]


def _set_counter(cursor, name: str, value: int) -> None:
    if connection.vendor == "postgresql":
        # setval to 0 is refused; "not called" at 1 means the next id is 1.
        cursor.execute("SELECT setval(%s, %s, %s)", [_sequence(cursor, name), max(value, 1), value >= 1])
        return
    cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table(name)])
    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table(name), value])


def _sequence(cursor, name: str) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table(name)])
    return cursor.fetchone()[0]


def _skip_foreign_key_triggers(cursor) -> None:
    """Skip the per-row foreign-key triggers for this transaction when the role may (as ``pg_restore`` does).

    The loader takes every referenced id from rows it has just read or written, so the checks could only
    pass; on millions of rows they were about a third of the database's time. Without the privilege the
    triggers run and the load is slower, not different. ``test_scale`` checks for orphans after a load.
    """
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


def write(rows: dict[str, list[tuple]]) -> None:
    """Write one batch; call inside the batch's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _skip_foreign_key_triggers(cursor)
        for name in ORDER:
            if rows[name]:
                if connection.vendor == "postgresql":
                    _copy(cursor, name, rows[name])
                else:
                    _insert(cursor, name, rows[name])


def _copy(cursor, name: str, rows: Sequence[tuple]) -> None:
    # Binary COPY: the server parses no text, about a third faster on these tables than the text format.
    columns = COLUMNS[name]
    quoted = connection.ops.quote_name(table(name))
    types = _types(cursor, table(name), columns)  # before the COPY: the connection is busy during it
    with cursor.cursor.copy(f"COPY {quoted} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


_TYPES: dict[str, list[str]] = {}


def _types(cursor, name: str, columns: Sequence[str]) -> list[str]:
    """The columns' PostgreSQL types, which binary COPY needs to encode the values."""
    if name not in _TYPES:
        cursor.execute(
            "SELECT attname, atttypid::regtype::text FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [name],
        )
        found = dict(cursor.fetchall())
        _TYPES[name] = [found[column] for column in columns]
    return _TYPES[name]


def _insert(cursor, name: str, rows: Sequence[tuple]) -> None:
    adapt = connection.ops.adapt_datetimefield_value  # SQLite keeps UTC text, as the ORM writes it
    columns = COLUMNS[name]
    # Table and column names are the models'; the values travel as parameters.
    quoted, placeholders = connection.ops.quote_name(table(name)), ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quoted} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    cursor.executemany(
        sql, [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows]
    )


@contextmanager
def secondary_indexes_deferred(enabled: bool) -> Iterator[None]:
    """Drop the tables' plain (non-unique) indexes for the load and build them again afterwards.

    Building an index over ten million rows at once is many times cheaper than updating it row by row, which
    was most of the database's time per batch. Unique indexes and primary keys stay, so a clash is still
    caught. The indexes come back even when the load fails; until then the tables' readers are slow, so this
    is for loading into a database that holds little yet (``load_scale`` decides).
    """
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique",
            [[table(name) for name in ORDER]],
        )
        dropped = cursor.fetchall()
        for name, _definition in dropped:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in dropped:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


def analyze() -> None:
    """Fresh planner statistics: after millions of new rows the old ones send the dashboards' reads astray."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in ORDER:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table(name))}")

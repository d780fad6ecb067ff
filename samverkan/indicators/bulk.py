"""Plain multi-row INSERT/UPDATE for imports: prepared tuples, inserted by COPY on PostgreSQL and several
rows to a statement on SQLite (``insert_values``), updated by ``executemany``.

Django's ``bulk_create`` builds and adapts every value through the field machinery (and SQLite caps it at
~60 rows per statement for a wide table); for tens of thousands of rows that is most of an import's time.
These helpers adapt only the columns that need it (dates, decimals) and hand the tuples to the driver.
Values are given per model field name, in the order of ``fields``; foreign keys take the raw id.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain
from typing import Any

from django.conf import settings
from django.db import connection, models


def _sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), without its overhead."""
    if value.tzinfo is not None:
        return str(value.astimezone(dt.UTC))[:-6]  # without its "+00:00"
    return str(value)


def _decimal(max_digits: int | None, decimal_places: int | None, value: Any) -> Any:
    return connection.ops.adapt_decimalfield_value(value, max_digits, decimal_places)


def _adapters(model: type[models.Model], fields: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    ops = connection.ops
    adapters: list[Callable[[Any], Any] | None] = []
    sqlite_utc = connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC"
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            adapters.append(_sqlite_datetime if sqlite_utc else ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        elif isinstance(field, models.DecimalField):
            adapters.append(partial(_decimal, field.max_digits, field.decimal_places))
        else:
            adapters.append(None)
    return adapters


def _adapt(
    rows: Iterable[Sequence[Any]], adapters: list[Callable[[Any], Any] | None]
) -> list[tuple[Any, ...]]:
    """The rows as tuples with the columns that need it adapted.

    Column by column (the rows transposed by ``zip``, a C loop) rather than row by row: for an import of
    tens of thousands of events the per-row Python loop over the adapters was a quarter of the SQLite write.
    """
    rows = list(rows)
    active = [(i, a) for i, a in enumerate(adapters) if a is not None]
    if not active or not rows:
        return [tuple(row) for row in rows]
    columns = list(zip(*rows, strict=True))
    for i, adapt in active:
        columns[i] = tuple([None if v is None else adapt(v) for v in columns[i]])
    return list(zip(*columns, strict=True))


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]


def value_adapters(model: type[models.Model], fields: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    """What ``insert_rows`` applies to each column's values on this database (None: taken as they are).

    For a writer that adapts each value as it makes it (``adapted=True``): none on PostgreSQL, whose COPY
    takes the Python values; on SQLite the text Django would store for a datetime, date or decimal.
    """
    if connection.vendor == "postgresql":
        return [None] * len(fields)
    return _adapters(model, fields)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, adapted: bool = False
) -> None:
    """INSERT every row (a tuple of values in ``fields`` order); on PostgreSQL through COPY.

    ``adapted``: the values went through ``value_adapters`` already (skips a second pass over the rows).
    """
    if connection.vendor == "postgresql":
        _copy_rows(model, fields, rows)
        return
    prepared = rows if adapted else _adapt(rows, _adapters(model, fields))
    insert_values(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(_column(model, f) for f in fields),
        prepared,
    )


# Rows per INSERT statement on SQLite (fewer when the database takes fewer parameters): a few hundred
# measured as quick as any larger number; a statement of thousands of rows was slower to prepare.
ROWS_PER_INSERT = 250


def insert_values(table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
    """INSERT ``rows`` (values already as the database takes them) into ``table``'s ``columns`` (both given
    as SQL): on SQLite several rows to a statement, elsewhere ``executemany``.

    SQLite runs each row of an ``executemany`` as a statement of its own: opening the table, its indexes
    and (for an AUTOINCREMENT key) the sequence table again for every row cost more than storing it. The
    24,000 monthly points of the police archive took 0.15 s one row to a statement and 0.06 s 250 rows to
    one; the archive's 85,000 events, a fifth less than before.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return
    width = columns.count(",") + 1
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            placeholders = ", ".join(["%s"] * width)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608
            return
        one_row = "({})".format(", ".join(["?"] * width))
        per_statement = max(1, min(ROWS_PER_INSERT, _sqlite_parameter_limit() // width))
        full = len(rows) - len(rows) % per_statement
        if full:
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * per_statement)}"  # noqa: S608
            for start in range(0, full, per_statement):
                _sqlite_execute(cursor, sql, list(chain.from_iterable(rows[start : start + per_statement])))
        if full < len(rows):
            rest = rows[full:]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(rest))}"  # noqa: S608
            _sqlite_execute(cursor, sql, list(chain.from_iterable(rest)))


def _sqlite_parameter_limit() -> int:
    """The parameters one SQLite statement takes (a build option: 999 before SQLite 3.32, often more)."""
    connection.ensure_connection()
    return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def _sqlite_execute(cursor: Any, sql: str, params: list[Any]) -> None:
    """Run ``sql``, written with "?" placeholders, on SQLite's own cursor, with Django's error translation.

    Django's SQLite cursor turns each "%s" of a statement into "?" with a regular expression, on every
    execution: for statements of thousands of parameters that cost more than running them (0.5 ms for
    250 events). Not through Django's execute wrappers, so a query counter does not see these statements.
    """
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        sqlite3.Cursor.execute(cursor.cursor, sql, params)


def _copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL COPY in binary format (the column types are told once, not guessed per value)."""
    sql = "COPY {} ({}) FROM STDIN (FORMAT BINARY)".format(
        connection.ops.quote_name(model._meta.db_table), ", ".join(_column(model, f) for f in fields)
    )
    types = [_pg_type(model._meta.get_field(f)) for f in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _pg_type(field: Any) -> str:
    if field.is_relation:
        field = field.target_field
    db_type = field.db_type(connection)
    if db_type.startswith("varchar"):
        return "text"
    if db_type.startswith("numeric"):
        return "numeric"
    return {"double precision": "float8", "bigint": "int8", "integer": "int4", "boolean": "bool"}.get(
        db_type, db_type
    )


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, adapted: bool = False
) -> None:
    """UPDATE by primary key: each row is the values of ``fields`` followed by the primary key.

    ``adapted`` as for ``insert_rows`` (the primary key too).
    """
    pk_name = model._meta.pk.name  # type: ignore[union-attr]
    prepared = list(rows) if adapted else _adapt(rows, _adapters(model, [*fields, pk_name]))
    if not prepared:
        return
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (names come from the model)
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(f"{_column(model, f)} = %s" for f in fields),
        _column(model, pk_name),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


class RowWriter:
    """Rows handed over one at a time and INSERTed as they come: on PostgreSQL through one COPY kept open
    (the server stores rows while Python reads the rest of the file), elsewhere in ``executemany`` batches.

    Use as a context manager inside a transaction; a row given to ``write`` is in the table once the block
    ends (on error the transaction's rollback removes what was sent).
    """

    def __init__(
        self, model: type[models.Model], fields: Sequence[str], *, batch: int = 5000, adapted: bool = False
    ) -> None:
        self.model = model
        self.fields = list(fields)
        self.batch = batch
        self.adapted = adapted  # as for insert_rows
        self.pending: list[Sequence[Any]] = []
        self._cursor: Any = None
        self._copy_cm: Any = None
        self._copy: Any = None

    def __enter__(self) -> RowWriter:
        if connection.vendor == "postgresql":
            sql = "COPY {} ({}) FROM STDIN (FORMAT BINARY)".format(
                connection.ops.quote_name(self.model._meta.db_table),
                ", ".join(_column(self.model, f) for f in self.fields),
            )
            self._cursor = connection.cursor()
            self._copy_cm = self._cursor.cursor.copy(sql)
            self._copy = self._copy_cm.__enter__()
            self._copy.set_types([_pg_type(self.model._meta.get_field(f)) for f in self.fields])
        return self

    def write(self, row: Sequence[Any]) -> None:
        if self._copy is not None:
            self._copy.write_row(row)
            return
        self.pending.append(row)
        if len(self.pending) >= self.batch:
            insert_rows(self.model, self.fields, self.pending, adapted=self.adapted)
            self.pending = []

    def write_many(self, rows: list[Sequence[Any]]) -> None:
        """``write`` each of ``rows``, now."""
        if self._copy is not None:
            write_row = self._copy.write_row
            for row in rows:
                write_row(row)
            return
        # Written at once: the rows come in batches already.
        insert_rows(self.model, self.fields, [*self.pending, *rows], adapted=self.adapted)
        self.pending = []

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._copy_cm is not None:
            try:
                self._copy_cm.__exit__(exc_type, exc, tb)
            finally:
                self._cursor.close()
            return
        if exc_type is None and self.pending:
            insert_rows(self.model, self.fields, self.pending, adapted=self.adapted)
        self.pending = []


# The page cache an import writes through on SQLite: its rows and the indexes' pages stay in memory until
# the commit writes each once (with the default 2 MB the index pages spilled to the WAL again and again:
# a quarter of an archive import's write time). Allocated only as pages are used, and only for the import.
IMPORT_PAGE_CACHE_MB = 64


@contextmanager
def import_page_cache(megabytes: int = IMPORT_PAGE_CACHE_MB) -> Iterator[None]:
    """On SQLite, a page cache of ``megabytes`` for the block (put around the transaction, so its commit
    is inside), the connection's own size restored after; nothing elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-megabytes * 1024}")
    try:
        yield
    finally:
        if connection.connection is not None:  # not closed by an error on the way
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def indexes_built_after(*tables_of: type[models.Model], table_is_empty: bool) -> Iterator[None]:
    """On SQLite, when ``table_is_empty``, the secondary indexes of the models' tables dropped for the block
    and created again after it, from the rows it wrote; nothing elsewhere. Use inside a transaction.

    Building an index once from 85,000 rows (a sort) took SQLite less than keeping three indexes up to date
    row by row (an archive's first import: 0.49 s of inserts became 0.27 s and 0.15 s of index builds; the
    bench generator's millions of rows, several times quicker). Only into an empty table: otherwise the
    build reads every older row too. Each index is created again by the statement that created it
    (``sqlite_master``), so it is the same index, and a duplicate a unique index would have refused makes
    the build fail loudly. DDL is transactional on SQLite: when the block fails, the rollback brings the
    indexes back with the rows; readers keep seeing the committed table, indexes included, until the
    commit. On PostgreSQL dropping an index would lock the table against every reader for the whole
    import, so it is not done there.
    """
    if connection.vendor != "sqlite" or not table_is_empty:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after needs a transaction (the indexes must come back with it).")
    tables = {model._meta.db_table for model in tables_of}
    with connection.cursor() as cursor:
        # Without the primary key's and unique constraints' own indexes (their sql is NULL).
        cursor.execute(
            "SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        indexes = [(name, sql) for name, sql, table in cursor.fetchall() if table in tables]
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)

"""Planner statistics after large writes: ``ANALYZE`` on PostgreSQL and SQLite.

A query planner chooses indexes from statistics. SQLite keeps none until ``ANALYZE`` runs, and
PostgreSQL's autovacuum refreshes them only a while after a large change; until then a plan can be made
for the table as it was (empty or a tenth of its size). After an import of tens of thousands of rows the
importing service asks for fresh statistics of the tables it filled, once the rows are committed.

On PostgreSQL an import may say how many rows it changed per table and which columns the queries use:
a table is then analysed only when the change is a tenth of what its statistics knew (less is within what
autovacuum leaves stale anyway), and only those columns are sampled (a police event's summary and hashes
were most of the time an ``ANALYZE`` of the events took, and no query filters on them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connection, models, transaction

# SQLite reads at most this many rows per index for ANALYZE: approximate statistics in milliseconds
# rather than a full scan of a large table (its own recommendation for PRAGMA optimize).
SQLITE_ANALYSIS_LIMIT = 1000
# The share of its rows a table must change before an import analyses it on PostgreSQL: autovacuum's own
# default (autovacuum_analyze_scale_factor = 0.1), so below it the statistics are as fresh as they would
# be without the import's help.
ANALYZE_CHANGED_SHARE = 0.1

ModelColumns = Mapping[type[models.Model], Sequence[str]]


def analyze_tables(*model_classes: type[models.Model], columns: ModelColumns | None = None) -> None:
    """Refresh the planner statistics of the tables of ``model_classes`` now (all tables when none).

    ``columns`` (per model, field names): on PostgreSQL only their distributions are sampled; the table's
    row and page counts are refreshed all the same. SQLite analyses its indexes whatever is named.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        elif connection.vendor != "postgresql":
            return
        if not model_classes:
            cursor.execute("ANALYZE")
        for model in model_classes:
            table = connection.ops.quote_name(model._meta.db_table)
            names = (columns or {}).get(model)
            if names and connection.vendor == "postgresql":
                quoted = ", ".join(
                    connection.ops.quote_name(model._meta.get_field(name).column)  # type: ignore[arg-type,union-attr]
                    for name in names
                )
                table = f"{table} ({quoted})"
            cursor.execute(f"ANALYZE {table}")


def _known_rows(model: type[models.Model]) -> float:
    """The rows the table's statistics know (PostgreSQL's estimate; -1 when never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else -1.0


def stale_tables(changed_rows: Mapping[type[models.Model], int]) -> list[type[models.Model]]:
    """The tables whose statistics ``changed_rows`` (rows written or removed per model) leave stale: on
    PostgreSQL those changed by at least ANALYZE_CHANGED_SHARE of their known rows (any change to one never
    analysed or empty); on SQLite every changed one (it has no autovacuum, and analysing takes ~10 ms)."""
    changed = [model for model, rows in changed_rows.items() if rows > 0]
    if connection.vendor != "postgresql":
        return changed
    stale = []
    for model in changed:
        known = _known_rows(model)
        if known <= 0 or changed_rows[model] >= ANALYZE_CHANGED_SHARE * known:
            stale.append(model)
    return stale


def analyze_after_commit(
    *model_classes: type[models.Model],
    changed_rows: Mapping[type[models.Model], int] | None = None,
    columns: ModelColumns | None = None,
) -> None:
    """``analyze_tables`` once the current transaction commits (at once outside one): statistics of the
    committed rows, and no lock held longer by the import that wrote them.

    With ``changed_rows`` (per model) only the ``stale_tables`` among them are analysed (``model_classes``
    always); ``columns`` as ``analyze_tables``.
    """

    def analyze() -> None:
        models_ = [*model_classes, *stale_tables(changed_rows or {})]
        if models_:
            analyze_tables(*dict.fromkeys(models_), columns=columns)

    transaction.on_commit(analyze)


def optimize_database() -> None:
    """The periodic upkeep: ``ANALYZE`` of every table on SQLite, which never does it by itself (its
    ``PRAGMA optimize`` before 3.46 only looks at tables the same connection queried); nothing on
    PostgreSQL, whose autovacuum does it."""
    if connection.vendor == "sqlite":
        analyze_tables()

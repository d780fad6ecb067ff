"""Planner statistics after large writes: ``ANALYZE`` on PostgreSQL and SQLite.

A query planner chooses indexes from statistics. SQLite keeps none until ``ANALYZE`` runs, and
PostgreSQL's autovacuum refreshes them only a while after a large change; until then a plan can be made
for the table as it was (empty or a tenth of its size). After an import of tens of thousands of rows the
importing service asks for fresh statistics of the tables it filled, once the rows are committed.
"""

from __future__ import annotations

from django.db import connection, models, transaction

# SQLite reads at most this many rows per index for ANALYZE: approximate statistics in milliseconds
# rather than a full scan of a large table (its own recommendation for PRAGMA optimize).
SQLITE_ANALYSIS_LIMIT = 1000


def analyze_tables(*model_classes: type[models.Model]) -> None:
    """Refresh the planner statistics of the tables of ``model_classes`` now (all tables when none)."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in model_classes]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        elif connection.vendor != "postgresql":
            return
        for table in tables or [""]:
            cursor.execute(f"ANALYZE {table}".strip())


def analyze_after_commit(*model_classes: type[models.Model]) -> None:
    """``analyze_tables`` once the current transaction commits (at once outside one): statistics of the
    committed rows, and no lock held longer by the import that wrote them."""
    transaction.on_commit(lambda: analyze_tables(*model_classes))


def optimize_database() -> None:
    """The periodic upkeep: ``ANALYZE`` of every table on SQLite, which never does it by itself (its
    ``PRAGMA optimize`` before 3.46 only looks at tables the same connection queried); nothing on
    PostgreSQL, whose autovacuum does it."""
    if connection.vendor == "sqlite":
        analyze_tables()

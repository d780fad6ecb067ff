"""`samverkan backup` and `samverkan restore`: a round trip is lossless on the database in use.

Runs on SQLite and, under ``DATABASE_URL=postgres://…``, on PostgreSQL with pg_dump/pg_restore.
Transactional: the backup must see committed rows, as it does in production.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samverkan.core.backup import BackupError, backup_create, backup_list, backup_restore, checksum_path
from samverkan.core.models import Notice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_reloaded", "reference_restored_after_module"),
]


def every_table() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


@pytest.fixture
def backup_folder(settings, tmp_path) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


def test_round_trip_restores_every_row_of_every_table(world, backup_folder):
    before = every_table()
    assert sum(len(rows) for rows in before.values()) > 100, "the world should fill many tables"
    backup = backup_create()
    assert backup.path.parent == backup_folder and backup.path.stat().st_mode & 0o077 == 0

    # Damage the database in several ways after the backup.
    Notice.objects.filter(collaboration=world.a).delete()
    world.a.description = "ändrad efter säkerhetskopian"
    world.a.save()
    Notice.objects.create(collaboration=world.b, title="Ny", body="Efter kopian")
    assert every_table() != before

    backup_restore(path=backup.path)
    assert every_table() == before


def test_restoring_empties_the_cache_whose_keys_name_revisions_that_go_back(world, backup_folder):
    """The picture's and the portal's cache keys name revision counters kept in the database; after a
    restore those counters count again from the backup's values, so a page cached meanwhile must go."""
    backup = backup_create()
    cache.set("page-under-a-revision-that-will-be-reused", "after the backup")
    backup_restore(path=backup.path)
    assert cache.get("page-under-a-revision-that-will-be-reused") is None


def test_a_damaged_backup_is_refused_before_anything_changes(world, backup_folder):
    backup = backup_create()
    with backup.path.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    Notice.objects.create(collaboration=world.b, title="Efter", body="Får inte försvinna")
    before = every_table()
    with pytest.raises(BackupError, match="Kontrollsumman stämmer inte"):
        backup_restore(path=backup.path)
    assert every_table() == before


def test_a_backup_without_its_checksum_is_refused(world, backup_folder, tmp_path):
    backup = backup_create()
    alone = tmp_path / backup.path.name
    shutil.copy(backup.path, alone)
    with pytest.raises(BackupError, match="Kontrollsumman"):
        backup_restore(path=alone)


def test_the_folder_keeps_the_newest_backups_only(world, backup_folder):
    made = [backup_create(keep=2).path for _ in range(3)]
    assert backup_list() == [made[2], made[1]]
    assert not made[0].exists() and not checksum_path(made[0]).exists()


def test_commands_back_up_and_restore(world, backup_folder, capsys):
    call_command("backup", "--keep", "0")
    (path,) = backup_list()
    Notice.objects.all().delete()
    call_command("restore", str(path), "--yes")
    assert Notice.objects.filter(collaboration=world.a).exists()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("restore", str(backup_folder / "saknas.sqlite3"), "--yes")

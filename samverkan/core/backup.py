"""Backups that restore: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

A backup is one file in the backup folder (``SAMVERKAN_BACKUP_DIR``, default ``var/backups``) with a
``.sha256`` beside it; restoring checks the checksum first, so a truncated or altered file is refused
before anything is overwritten. Files are written owner-only (0600): they hold police information.
Retention: ``backup_create`` keeps the newest ``SAMVERKAN_BACKUP_KEEP`` backups of this database's
kind and deletes older ones (a nightly job with the default 14 keeps two weeks).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"
PREFIX = "samverkan-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (in Swedish, for the operator)."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size: int
    sha256: str


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.VAR_DIR / "backups"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _pg_args(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL client tools (password via PGPASSWORD)."""
    params = connections[alias].settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} saknas på datorn (Debian: postgresql-client).")
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} misslyckades: {result.stderr.strip()[:2000]}")


def backup_create(
    *, destination: Path | None = None, keep: int | None = None, alias: str = "default"
) -> BackupFile:
    """Write a consistent backup of the database to ``destination`` (default: a dated file in the folder)."""
    vendor = _vendor(alias)
    suffix = {"sqlite": SQLITE_SUFFIX, "postgresql": POSTGRES_SUFFIX}.get(vendor)
    if suffix is None:
        raise BackupError(f"Säkerhetskopiering stöds inte för databasen {vendor}.")
    folder = backup_dir()
    if destination is None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
        destination = folder / f"{PREFIX}{stamp}{suffix}"
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = destination.with_name(destination.name + ".part")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        if vendor == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)  # online: readers and writers may go on meanwhile
            finally:
                target.close()
        else:
            args, env = _pg_args(alias)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(partial),
                    *args,
                ],
                env,
            )
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    os.chmod(destination, 0o600)
    checksum = _sha256(destination)
    checksum_path(destination).write_text(f"{checksum}  {destination.name}\n")
    os.chmod(checksum_path(destination), 0o600)
    if keep is None:
        keep = int(getattr(settings, "BACKUP_KEEP", 14))
    if destination.parent == folder and keep > 0:
        backup_prune(keep=keep, suffix=suffix)
    return BackupFile(destination, destination.stat().st_size, checksum)


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def backup_list(*, suffix: str | None = None) -> list[Path]:
    """This folder's backups, newest first."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    files = [
        p
        for p in folder.iterdir()
        if p.name.startswith(PREFIX) and p.suffix in (SQLITE_SUFFIX, POSTGRES_SUFFIX) and p.is_file()
    ]
    if suffix:
        files = [p for p in files if p.suffix == suffix]
    return sorted(files, key=lambda p: p.name, reverse=True)


def backup_prune(*, keep: int, suffix: str | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns what was deleted."""
    removed = backup_list(suffix=suffix)[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
        checksum_path(path).unlink(missing_ok=True)
    return removed


def _verify(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"Filen {path} finns inte.")
    sidecar = checksum_path(path)
    if not sidecar.is_file():
        raise BackupError(f"Kontrollsumman {sidecar.name} saknas; filen återställs inte.")
    expected = sidecar.read_text().split()[0] if sidecar.read_text().strip() else ""
    if _sha256(path) != expected:
        raise BackupError(f"Kontrollsumman stämmer inte för {path.name}: filen är skadad eller ändrad.")


def backup_restore(*, path: Path, alias: str = "default") -> None:
    """Replace the database's content with the backup in ``path`` (after checking its checksum)."""
    _verify(path)
    vendor = _vendor(alias)
    if vendor == "sqlite":
        if path.suffix != SQLITE_SUFFIX:
            raise BackupError("Filen är inte en SQLite-säkerhetskopia.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Säkerhetskopian klarar inte SQLite:s integritetskontroll.")
            connection = connections[alias]
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif vendor == "postgresql":
        if path.suffix != POSTGRES_SUFFIX:
            raise BackupError("Filen är inte en PostgreSQL-säkerhetskopia.")
        connections[alias].close()
        args, env = _pg_args(alias)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *args,
                str(path),
            ],
            env,
        )
    else:
        raise BackupError(f"Återställning stöds inte för databasen {vendor}.")
    # The revisions that key the cached pages (the joint picture's, the portal's) go back with the
    # database, so a page cached after the backup was taken would come back under a reused revision
    # number with content the restored database no longer holds. Each server process's own memory goes
    # with its restart (restore with the service stopped, as the README says); a shared cache (Redis)
    # outlives it, so it is emptied here.
    for cache in caches.all():
        cache.clear()

"""Uploaded statistics files waiting between the column-mapping preview and the confirmation.

The bytes are kept under ``VAR_DIR/uploads/<sha256>``, never in the session; the form carries only the hash.
An upload nobody confirms is removed after ``KEEP_FOR`` (checked whenever a new file is stored), so an
abandoned preview does not keep a file of public statistics on disk for ever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from samverkan.indicators.forms import SHA256_RE
from samverkan.indicators.polisen import ImportFileError

KEEP_FOR = dt.timedelta(days=1)


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def store(data: bytes) -> str:
    """Keep the bytes under their SHA-256 (written whole, then renamed) and return the hash."""
    sha256 = hashlib.sha256(data).hexdigest()
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    purge_stale(folder)
    target = folder / sha256
    if not target.exists():
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
    return sha256


def read(sha256: str) -> bytes:
    """The stored bytes; ImportFileError when the hash is malformed, the file gone or altered."""
    gone = ImportFileError(_("Den uppladdade filen finns inte längre. Ladda upp den igen."))
    if not SHA256_RE.match(sha256):
        raise gone
    try:
        data = (uploads_dir() / sha256).read_bytes()
    except OSError:
        raise gone from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise gone
    return data


def forget(sha256: str) -> None:
    if SHA256_RE.match(sha256):
        (uploads_dir() / sha256).unlink(missing_ok=True)


def purge_stale(folder: Path | None = None, *, now: float | None = None) -> int:
    """Remove uploads older than ``KEEP_FOR``; the number removed."""
    folder = folder or uploads_dir()
    cutoff = (now if now is not None else time.time()) - KEEP_FOR.total_seconds()
    removed = 0
    for path in folder.glob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue  # another process removed or confirmed it meanwhile
    return removed

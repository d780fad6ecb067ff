"""Uploaded statistics files waiting between the column-mapping preview and the confirmation.

The bytes are kept under ``VAR_DIR/uploads/<sha256>``, never in the session; the form carries only the hash.
Only a file that passed the preview is kept, and it is removed as soon as it is imported, cancelled or
found unreadable; one nobody confirms is removed after ``KEEP_FOR`` (checked whenever a new file is
stored), so an abandoned preview does not keep a file of public statistics on disk for ever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from samverkan.indicators.forms import SHA256_RE
from samverkan.indicators.limits import ImportFileError, max_bytes, too_large_message

KEEP_FOR = dt.timedelta(days=1)
BODY_OVERHEAD = 64 * 1024  # a multipart body's boundaries and other fields beside the file
_CHUNK = 1 << 16


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def store(data: bytes | IO[bytes]) -> str:
    """Keep the bytes (or a binary file's, copied in chunks) under their SHA-256 and return the hash."""
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    purge_stale(folder)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=folder, delete=False, prefix=".part-") as handle:
        try:
            if isinstance(data, bytes):
                digest.update(data)
                handle.write(data)
            else:
                data.seek(0)
                while chunk := data.read(_CHUNK):
                    digest.update(chunk)
                    handle.write(chunk)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    sha256 = digest.hexdigest()
    os.replace(handle.name, folder / sha256)  # written whole, then renamed: never read half-written
    return sha256


def path(sha256: str) -> Path:
    """The stored file; ImportFileError when the hash is malformed, the file gone or altered."""
    gone = ImportFileError(_("Den uppladdade filen finns inte längre. Ladda upp den igen."))
    if not SHA256_RE.match(sha256):
        raise gone
    target = uploads_dir() / sha256
    digest = hashlib.sha256()
    try:
        with target.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        raise gone from None
    if digest.hexdigest() != sha256:
        raise gone
    return target


def forget(sha256: str) -> None:
    if SHA256_RE.match(sha256):
        (uploads_dir() / sha256).unlink(missing_ok=True)


def purge_stale(folder: Path | None = None, *, now: float | None = None) -> int:
    """Remove uploads older than ``KEEP_FOR``; the number removed."""
    folder = folder or uploads_dir()
    cutoff = (now if now is not None else time.time()) - KEEP_FOR.total_seconds()
    removed = 0
    for entry in folder.glob("*"):
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed += 1
        except OSError:
            continue  # another process removed or confirmed it meanwhile
    return removed


def size_checked(kind: str) -> Callable[..., Any]:
    """Refuse a request body larger than this kind's upload limit before anything reads it.

    Django's CSRF middleware reads the body (``request.POST``) before the view runs, so the decorated view
    is exempt from the middleware and checks CSRF itself (``csrf_protect``) once the size is allowed. A
    refused request reaches the view with ``refused`` (the Swedish message), which renders the form with
    it and a 413 without touching ``request.POST`` or ``request.FILES``; nothing is read or written.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        checked = csrf_protect(view)

        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                try:
                    length = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                limit = max_bytes(kind)
                if length > limit + BODY_OVERHEAD:
                    return view(request, *args, refused=too_large_message(length, limit), **kwargs)
            return checked(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorate

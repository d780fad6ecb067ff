"""Where the shared reference data folder is (the full open-data sets the bench and the vendoring read).

The demo does not need it: it imports the subsets shipped in ``indicators/data/demo`` (see
``demo_data``). ``SAMVERKAN_SHARED_DATA`` names the folder; when it is not set, ../shared/data next to the
checkout or the working directory is used if it is there.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


class SharedDataMissing(Exception):
    """``SAMVERKAN_SHARED_DATA`` names a folder that does not exist; the message is one line for the user."""


def missing_message(path: Path | str) -> str:
    return f"SAMVERKAN_SHARED_DATA pekar på en mapp som inte finns: {path}"


def shared_data_dir() -> Path | None:
    """The shared reference data folder, or None when this machine has none.

    ``SAMVERKAN_SHARED_DATA`` when set (``SharedDataMissing`` if it is not a folder: a typo should say so,
    not look like "no data"), else ../shared/data next to the checkout or the working directory.
    """
    configured = settings.SAMVERKAN_SHARED_DATA
    if configured:
        path = Path(configured).expanduser()
        if not path.is_dir():
            raise SharedDataMissing(missing_message(path))
        return path
    repo_root = Path(__file__).resolve().parents[2]  # the checkout (samverkan/indicators/shared_data.py)
    for path in (repo_root.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if (path / "SOURCES.md").is_file():
            return path
    return None

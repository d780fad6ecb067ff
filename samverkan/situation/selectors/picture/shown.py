"""The picture as a page, an export or the API shows it: built for the reader, its begränsad rows audit-logged.

Views and the API fetch pictures through these, so none of them can show a picture and forget the audit.
"""

from __future__ import annotations

from typing import Any

from samverkan.core.visibility import record_reads
from samverkan.situation.models import PictureVersion, Round
from samverkan.situation.selectors.picture.cache import cached_picture
from samverkan.situation.selectors.picture.frozen import version_data
from samverkan.situation.selectors.picture.shapes import PictureData


def shown_picture(*, round_: Round, user: Any, cells_only: bool = False) -> tuple[PictureData, str | None]:
    """The live picture as ``user`` may see it and its cache key; the begränsad rows shown are logged
    (``cells_only``: only the matrix's, for a page that shows just the matrix)."""
    data, key = cached_picture(round_=round_, user=user)
    record_reads(user, data.cell_rows if cells_only else data.source_rows)
    return data, key


def shown_version(*, version: PictureVersion, user: Any, public_only: bool = False) -> PictureData:
    """An agreed version as ``user`` may see it (``public_only``: its öppen parts); begränsad parts logged."""
    data = version_data(version=version, user=user, public_only=public_only)
    record_reads(user, data.source_rows)
    return data

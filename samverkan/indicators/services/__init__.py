"""Writes of the indicators app."""

from samverkan.indicators.services.indicators import police_indicators_recompute
from samverkan.indicators.services.police_events import (
    DuplicateImportError,
    ImportFileError,
    import_police_events,
)

__all__ = [
    "DuplicateImportError",
    "ImportFileError",
    "import_police_events",
    "police_indicators_recompute",
]

"""The joint situation picture (gemensam lägesbild): one builder for the page, the PDF, the XLSX and freezing.

``build_picture`` (live.py) computes the live picture of a round from submitted reports, events and the
samordnare's area summaries, every queryset filtered by ``visible_to(user)``; ``cached_picture``
(cache.py) serves it per role and situation revision. ``version_data`` (frozen.py) gives the same shape
from an agreed version's frozen ``PictureItem`` rows (visible to the user, or öppen only). Every part
carries the level of what it came from; a part made of several rows takes the ``strictest`` of them
(shapes.py). Pages, exports and the API show them through ``shown_picture`` / ``shown_version``
(shown.py), which audit-log the begränsad rows shown.
"""

from samverkan.situation.selectors.picture.cache import (
    PICTURE_CACHE_SECONDS,
    cached_picture,
    cached_value,
    picture_cache_key,
)
from samverkan.situation.selectors.picture.frozen import (
    PART_ANSWER,
    PART_COMPLETENESS,
    PART_SERIES,
    version_data,
    version_items,
)
from samverkan.situation.selectors.picture.generalise import generalise_events, generalise_series
from samverkan.situation.selectors.picture.lists import (
    get_round_area,
    get_version_for_user,
    picture_round_list,
    picture_rounds_for,
    picture_versions,
    round_section,
)
from samverkan.situation.selectors.picture.live import (
    build_picture,
    last_year_round,
    one_year_earlier,
    previous_round,
    series_months,
)
from samverkan.situation.selectors.picture.preview import (
    AgreePreview,
    MissingReport,
    agree_preview,
    missing_reports,
)
from samverkan.situation.selectors.picture.shapes import (
    SEVERITY,
    Area,
    Cell,
    Completeness,
    EventCount,
    EventPart,
    NumberPart,
    Part,
    PictureData,
    SeriesMonth,
    SeriesPart,
    SummaryPart,
    TextPart,
    area_anchor,
)
from samverkan.situation.selectors.picture.shown import shown_picture, shown_version
from samverkan.situation.selectors.picture.stamps import Stamp, picture_round_for_user, stamp_of, with_stamp

__all__ = [
    "PART_ANSWER",
    "PART_COMPLETENESS",
    "PART_SERIES",
    "PICTURE_CACHE_SECONDS",
    "SEVERITY",
    "AgreePreview",
    "Area",
    "Cell",
    "Completeness",
    "EventCount",
    "EventPart",
    "MissingReport",
    "NumberPart",
    "Part",
    "PictureData",
    "SeriesMonth",
    "SeriesPart",
    "Stamp",
    "SummaryPart",
    "TextPart",
    "agree_preview",
    "area_anchor",
    "build_picture",
    "cached_picture",
    "cached_value",
    "generalise_events",
    "generalise_series",
    "get_round_area",
    "get_version_for_user",
    "last_year_round",
    "missing_reports",
    "one_year_earlier",
    "picture_cache_key",
    "picture_round_for_user",
    "picture_round_list",
    "picture_rounds_for",
    "picture_versions",
    "previous_round",
    "round_section",
    "series_months",
    "shown_picture",
    "shown_version",
    "stamp_of",
    "version_data",
    "version_items",
    "with_stamp",
]

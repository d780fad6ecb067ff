"""What the minutes page shows of a meeting, and the agenda's drafts (``services.agenda.cached_drafts``),
cached per (collaboration revision, reader's standing).

The action plan's page cache (``actions.selectors.cache``) under a namespace of its own.
The body of the minutes (attendance, the points with their decisions, follow-ups and amendments, each
with its level badge) is made of rows owned by the collaboration (each has its ``collaboration``), so
every write of them through the models raises the collaboration's revision (``core.publication``) in the
same transaction; a write that bypasses the signals (moving a point with ``QuerySet.update``) raises it
itself. Which of them a reader sees follows from their role in the collaboration alone
(``core.visibility``). So the key names the database's epoch, the collaboration, its revision, the
reader's standing and what the caller adds (the meeting, the language, …): never the user. The minutes'
own row (status, justering) and the justering answers are not cached: the page reads them on every
request.

A cached value holds no audit; the begränsad rows it shows are kept with it and logged on every use.
"""

from __future__ import annotations

from functools import partial

from samverkan.actions.selectors import cache as page_cache

# The action plan's page cache with every value under the namespace "meetings", off with the setting
# ``MEETINGS_PAGE_CACHE = False``: ``cached_shown`` logs the begränsad rows kept with a value for each reader
# it is given to; ``cached_for_reader`` keeps a value (or builds it ahead, ``services.agenda.prepare_drafts``)
# and logs nothing.
cached_shown = partial(page_cache.cached_shown, namespace="meetings", setting="MEETINGS_PAGE_CACHE")
cached_for_reader = partial(page_cache.cached_for_reader, namespace="meetings", setting="MEETINGS_PAGE_CACHE")

"""The product's own shipped content in the reader's language.

Swedish first: the shipped rows (the six areas, the default template's questions, the event categories,
the indicators' names, units and sources) are stored in Swedish, and every such text is marked in the
source with ``gettext_noop`` (``core.areas``, ``situation.defaults``, the generated
``indicators.shipped_text``) so ``makemessages`` collects it into the English catalogue. Pages, exports
and chart labels show a stored value through ``shipped`` (the template filter ``|shipped``): a shipped
text comes out in the active language, while a user-written or user-renamed value has no msgid and stays
exactly as written. Translating when shown, not when stored, keeps cached and frozen data (a live
picture shared by readers, an agreed version) right in either language. The API keeps the stored
(Swedish) values: clients use them as keys.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext


def shipped(value: str) -> str:
    """``value`` in the active language when it is shipped text, else as written."""
    # gettext("") would answer the catalogue's header, and a non-string has no translation.
    if not value or not isinstance(value, str):
        return value
    return gettext(value)


# For texts made once and read later (a trend's subject kept in a cache): translated when read.
shipped_lazy = lazy(shipped, str)

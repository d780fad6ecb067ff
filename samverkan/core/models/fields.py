"""Model fields shared by the apps."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class TextJSONEncoder(json.JSONEncoder):
    """JSON with letters as they are ("åtgärd", not "\\u00e5tg\\u00e4rd"): fewer bytes, and on PostgreSQL
    fewer backslashes for the driver to escape (see ``DocumentJSONField``). The same JSON either way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class DocumentJSONField(models.JSONField):
    """A JSONField for documents that may hold whole texts (an audit entry's diff of a 60,000-character
    agenda point; a drafted point's sources beside that text).

    A bulk insert of such rows goes as plain VALUES on PostgreSQL, not through Django's UNNEST of one
    array per column: the driver builds an array literal in Python, escaping each quote and backslash of
    each document one match at a time, which for texts of tens of kB costs more than the planning UNNEST
    saves (an agenda's 11 points and their 11 audit entries: 7.4 → 5.5 ms). A field with
    ``get_placeholder`` is what makes Django choose VALUES; the placeholder is the usual one."""

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"

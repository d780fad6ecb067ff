"""Audit entries and agenda points keep whole texts in JSON: stored with their letters as they are, read back
the same, and bulk-inserted as plain VALUES (not UNNEST's per-column arrays, whose literal the driver escapes
in Python one quote or backslash at a time)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TEXT = 'Åtgärd 1. Trygghetsvandring på torget — "röd" två gånger\\n i rad\n' * 300


def test_a_document_round_trips_and_is_stored_with_its_letters_as_they_are(world):
    entries = [
        AuditEntry(
            collaboration=world.a,
            action=AuditEntry.Action.UPDATE,
            target_type="x",
            target_id=str(n),
            target_repr="x",
            changes={"text": [None, TEXT], "ids": list(range(200))},
        )
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as captured:
        AuditEntry.objects.bulk_create(entries)
    (insert,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert "UNNEST" not in insert.upper()
    stored = AuditEntry.objects.filter(target_type="x").order_by("target_id")
    assert [e.changes for e in stored] == [{"text": [None, TEXT], "ids": list(range(200))}] * 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM core_auditentry WHERE id = %s", [stored[0].pk])
        (raw,) = cursor.fetchone()
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    assert "Åtgärd" in text and "\\u00c5" not in text

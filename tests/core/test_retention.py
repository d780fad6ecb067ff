"""Gallring: each kind of content goes after its years, a dry run changes nothing, a purge is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from samverkan.core.models import AuditEntry
from samverkan.core.retention import retention_purge, retention_report
from samverkan.situation.models import Answer, Event, PictureItem

NOW = timezone.make_aware(dt.datetime(2032, 6, 1, 12, 0))


@pytest.fixture
def aged(world):
    """Collaboration A's October 2026 round is 5 years and 7 months old at NOW; B's events are recent."""
    b_events = Event.objects.filter(collaboration=world.b)
    b_events.update(occurred_at=NOW - dt.timedelta(days=30))
    return world


def report_of(rows):
    return {row.rule.key: row.count for row in rows}


def test_a_dry_run_lists_what_is_due_and_changes_nothing(aged):
    before = (Event.objects.count(), list(Answer.objects.values_list("text", flat=True)))
    counts = report_of(retention_report(now=NOW))
    assert counts["situation.events"] == 3  # A's three events; B's are recent
    assert counts["situation.answer_texts"] == 4  # the text and places answers of A and B (same round dates)
    assert counts["situation.picture_texts"] == 6  # three frozen text items in each version
    assert counts["core.audit"] == 0
    assert (Event.objects.count(), list(Answer.objects.values_list("text", flat=True))) == before


def test_a_purge_deletes_and_empties_only_what_is_due_and_audits_it(aged):
    retention_purge(now=NOW)
    assert not Event.objects.filter(collaboration=aged.a).exists()
    assert Event.objects.filter(collaboration=aged.b).count() == 3
    texts = Answer.objects.filter(collaboration=aged.a).values_list("status", "text", "places")
    assert sorted(texts) == [("", "", []), ("", "", []), ("gul", "", [])]  # the status stays
    assert not PictureItem.objects.exclude(text="").filter(kind=PictureItem.Kind.TEXT).exists()
    entry = AuditEntry.objects.get(target_type="retention", target_id="situation.events")
    assert entry.collaboration_id == aged.a.pk and entry.changes["rows"] == 3
    assert entry.changes["older_than"] == "2027-06-01"
    # A second purge finds nothing more to do.
    assert sum(report_of(retention_report(now=NOW)).values()) == 0


def test_a_deployment_sets_its_own_years(aged, settings):
    settings.RETENTION = "situation.events=10, situation.answer_texts=1"
    counts = report_of(retention_report(now=NOW))
    assert counts["situation.events"] == 0
    assert counts["situation.answer_texts"] == 4


def test_the_command_is_a_dry_run_unless_told(aged, capsys, monkeypatch):
    monkeypatch.setattr("samverkan.core.retention.timezone.now", lambda: NOW)
    call_command("gallra")
    out = capsys.readouterr().out
    assert "situation.events: 3 skulle gallras" in out and "Torrkörning" in out
    assert Event.objects.filter(collaboration=aged.a).count() == 3
    call_command("gallra", "--execute")
    assert "situation.events: 3 gallrat" in capsys.readouterr().out
    assert not Event.objects.filter(collaboration=aged.a).exists()

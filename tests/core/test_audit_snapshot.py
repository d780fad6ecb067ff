"""The audit snapshot of JSON lists: kept in order, whatever they hold."""

from __future__ import annotations

from samverkan.core.audit import snapshot
from samverkan.situation.models import Answer


def test_a_list_of_places_is_snapshotted_in_order():
    # Two places ([{"name": …}, {"name": …}]) used to fail: the snapshot sorted the list of dicts.
    answer = Answer(places=[{"name": "Torget"}, {"name": "Stationen"}])
    assert snapshot(answer)["places"] == [{"name": "Torget"}, {"name": "Stationen"}]

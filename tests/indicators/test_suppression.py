"""Small-count suppression: no visible count below the threshold, nothing lost, zeros not hidden."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.indicators.suppression import cell, fewer_than, suppress_counts, threshold

counts_strategy = st.dictionaries(st.text(max_size=4), st.integers(min_value=0, max_value=40), max_size=30)
thresholds = st.integers(min_value=1, max_value=12)


@given(counts=counts_strategy, limit=thresholds)
def test_no_visible_count_below_threshold(counts, limit):
    result = suppress_counts(counts, limit)
    assert all(n >= limit for n in result.visible.values())


@given(counts=counts_strategy, limit=thresholds)
def test_visible_plus_hidden_is_the_total(counts, limit):
    result = suppress_counts(counts, limit)
    assert sum(result.visible.values()) + result.hidden_total == sum(counts.values())


@given(counts=counts_strategy, limit=thresholds)
def test_zero_cells_are_neither_shown_nor_counted_as_hidden(counts, limit):
    result = suppress_counts(counts, limit)
    zeros = {key for key, n in counts.items() if n == 0}
    assert not zeros & set(result.visible)
    assert not zeros & result.hidden_keys
    assert result.hidden_cells == sum(1 for n in counts.values() if 0 < n < limit)


def test_example():
    result = suppress_counts({"a": 7, "b": 4, "c": 1, "d": 0, "e": 5}, 5)
    assert result.visible == {"a": 7, "e": 5}
    assert (result.hidden_total, result.hidden_cells, result.hidden_keys) == (5, 2, frozenset({"b", "c"}))


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        suppress_counts({"a": -1}, 5)
    with pytest.raises(ValueError):
        suppress_counts({"a": 1}, 0)


@given(n=st.integers(min_value=0, max_value=100), limit=thresholds)
def test_a_hidden_table_cell_never_carries_its_number(n, limit):
    shown = cell(n, threshold=limit, exact=False)
    if 0 < n < limit:
        assert shown.hidden and shown.value is None and shown.text == fewer_than(limit)
    else:
        assert not shown.hidden and shown.value == n and shown.text == str(n)


def test_the_exact_view_shows_small_numbers():
    assert cell(3, threshold=5, exact=True).text == "3"


def test_table_text_is_swedish():
    assert cell(2, threshold=5, exact=False).text == "färre än 5"


def test_threshold_comes_from_settings(settings):
    settings.SAMVERKAN_SMALL_COUNT_THRESHOLD = 10
    assert threshold() == 10
    del settings.SAMVERKAN_SMALL_COUNT_THRESHOLD
    assert threshold() == 5

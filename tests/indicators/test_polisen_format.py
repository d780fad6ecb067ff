"""The police events format's quirks: dates, urls, title tails, place names, file shapes."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json

import pytest

from samverkan.core.models import Kommun, Lan
from samverkan.indicators.polisen import (
    KNOWN,
    Bad,
    ImportFileError,
    PlaceMatcher,
    absolute_url,
    iter_records,
    line_hash,
    month_of,
    name_tail,
    normalise_place,
    parse_datetime,
    parse_gps,
)

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-01-05 9:03:00 +01:00", dt.datetime(2024, 1, 5, 8, 3, tzinfo=UTC)),
        ("2024-01-05 09:03:00 +01:00", dt.datetime(2024, 1, 5, 8, 3, tzinfo=UTC)),
        ("2026-08-22 9:48:12 +02:00", dt.datetime(2026, 8, 22, 7, 48, 12, tzinfo=UTC)),
        ("2024-01-05T09:03:00Z", dt.datetime(2024, 1, 5, 9, 3, tzinfo=UTC)),
        ("2024-01-05 09:03 +0100", dt.datetime(2024, 1, 5, 8, 3, tzinfo=UTC)),
        # Without an offset: Swedish time (summer time in July).
        ("2024-07-05 12:00:00", dt.datetime(2024, 7, 5, 10, 0, tzinfo=UTC)),
    ],
)
def test_parse_datetime_accepts_the_api_format_and_neighbours(text, utc):
    parsed = parse_datetime(text)
    assert parsed.tzinfo is not None
    assert parsed == utc


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30 10:00:00 +01:00",
        "2023-02-29 1:00:00 +01:00",
        "2024-13-01 10:00:00 +01:00",
        "2024-01-05 25:00:00 +01:00",
        "2024-01-05 10:61:00 +01:00",
        "igår kväll",
        "",
        "2024-01-05",
    ],
)
def test_parse_datetime_rejects_impossible_or_unreadable_dates(text):
    with pytest.raises(ValueError):
        parse_datetime(text)


def test_month_is_the_swedish_month_not_the_utc_one():
    # 23:30 UTC on 31 January is 00:30 on 1 February in Stockholm.
    assert month_of(dt.datetime(2024, 1, 31, 23, 30, tzinfo=UTC)) == dt.date(2024, 2, 1)
    assert month_of(parse_datetime("2024-03-01 0:10:00 +01:00")) == dt.date(2024, 3, 1)


def test_relative_url_gets_polisen_prefix():
    path = "/aktuellt/handelser/2024/januari/5/05-januari-0903-trafikolycka-mala/"
    assert absolute_url(path) == "https://polisen.se" + path
    assert absolute_url("https://polisen.se/x/") == "https://polisen.se/x/"
    assert absolute_url("aktuellt/x/") == "https://polisen.se/aktuellt/x/"
    assert absolute_url("javascript:alert(1)") == ""
    assert absolute_url("") == ""


def test_gps_is_two_numbers_in_range():
    assert parse_gps("65.23696,18.72629") == (65.23696, 18.72629)
    assert parse_gps("ingen") is None
    assert parse_gps("95,18") is None


def test_name_tail_is_the_part_after_the_last_comma():
    assert name_tail("05 januari 09.03, Trafikolycka, Malå") == "Malå"
    assert name_tail("14 juni 19.31, Trafikolycka, personskada, Varberg") == "Varberg"
    assert name_tail("Sammanfattning natt") == ""


def test_place_names_are_compared_without_case_hyphen_or_spacing():
    assert normalise_place("Dals-ed") == normalise_place("Dals-Ed")
    assert normalise_place(" Upplands  väsby") == normalise_place("Upplands Väsby")


@pytest.fixture
def matcher(db):
    return PlaceMatcher(
        list(Kommun.objects.values_list("kod", "namn", "officiellt_namn", "lan_id")),
        list(Lan.objects.values_list("kod", "namn", "kortnamn")),
    )


@pytest.mark.parametrize(
    ("location", "kod"),
    [
        ("Malå", "2418"),
        ("malå", "2418"),
        ("Dals-ed", "1438"),
        ("Upplands väsby", "0114"),
        ("Östra göinge", "1256"),
        ("Malå kommun", "2418"),
        ("Dals-Eds kommun", "1438"),
        ("Dals-Ed kommun", "1438"),
        ("Gotland", "0980"),  # the kommun, not Gotlands län
    ],
)
def test_location_that_names_a_kommun_matches_it(matcher, location, kod):
    place = matcher.match(location, "05 januari 09.03, Trafikolycka, Någonstans")
    assert (place.kommun_id, place.matched_by, place.flagged) == (kod, "location", False)
    assert place.lan_id == kod[:2]


def test_lan_location_takes_the_kommun_from_the_title(matcher):
    place = matcher.match("Västerbottens län", "05 januari 09.03, Trafikolycka, Malå")
    assert (place.kommun_id, place.lan_id, place.matched_by, place.flagged) == ("2418", "24", "name", False)


def test_lan_location_with_a_title_kommun_in_another_lan_stays_at_lan_level(matcher):
    place = matcher.match("Västerbottens län", "05 januari 09.03, Trafikolycka, Mora")
    assert (place.kommun_id, place.lan_id, place.matched_by) == (None, "24", "lan_only")


def test_lan_only_when_the_title_names_no_kommun(matcher):
    place = matcher.match("Dalarnas län", "Sammanfattning natt, Dalarnas län")
    assert (place.kommun_id, place.lan_id, place.matched_by, place.flagged) == (None, "20", "lan_only", False)


def test_unknown_location_is_flagged(matcher):
    place = matcher.match("Atlantis", "05 januari, Brand, Atlantis")
    assert (place.kommun_id, place.lan_id, place.matched_by, place.flagged) == (None, None, "unknown", True)
    rescued = matcher.match("Atlantis", "05 januari, Brand, Malå")
    assert (rescued.kommun_id, rescued.matched_by, rescued.flagged) == ("2418", "name", True)


def test_cached_matches_agree_with_fresh_ones_and_stay_bounded(matcher, monkeypatch):
    """A kommun location is matched once whatever the title; other results per (location, title tail). A
    file of endless distinct places and titles does not grow either cache past its bound."""
    import samverkan.indicators.polisen as polisen

    monkeypatch.setattr(polisen, "CACHED_MATCHES", 50)
    cases = [
        ("Malå", "x, Brand, Mora"),
        ("Västerbottens län", "x, Brand, Malå"),
        ("Atlantis", "x, Brand, Mora"),
    ]
    for _ in range(2):
        for location, title in cases:
            assert matcher.match(location, title) == matcher._match(location, polisen.name_tail(title))
    for n in range(200):
        matcher.match(f"Ort {n}", f"x, Brand, By {n}")
        matcher.match("Malå" + " " * n, "x")  # normalised to Malå: a kommun by its location
    assert len(matcher._cache) <= 50 and len(matcher._by_location) <= 50
    assert matcher.match("Malå", "x, Brand, Mora").kommun_id == "2418"


EVENT = {
    "id": 1,
    "datetime": "2024-01-05 9:03:00 +01:00",
    "name": "05 januari 09.03, Trafikolycka, Malå",
    "summary": "Två bilar.",
    "url": "/aktuellt/x/",
    "type": "Trafikolycka",
    "location": {"name": "Malå", "gps": "65.23696,18.72629"},
}


def _records(data: bytes, **kwargs):
    return list(iter_records(io.BytesIO(data), **kwargs))


def test_jsonl_and_array_give_the_same_records_with_line_numbers():
    second = {**EVENT, "id": 2}
    lines = _records((json.dumps(EVENT) + "\n\n" + json.dumps(second) + "\n").encode())
    assert [(n, v) for n, v, _h in lines] == [(1, EVENT), (3, second)]
    pretty = json.dumps([EVENT, second], indent=2, ensure_ascii=False).encode()
    array = _records(pretty)
    assert [v for _n, v, _h in array] == [EVENT, second]
    assert array[0][0] == 2 and array[1][0] > array[0][0]


def test_known_jsonl_lines_are_not_decoded():
    line = json.dumps(EVENT).encode()
    [(number, value, digest)] = _records(line + b"\n", known_lines={line_hash(line)})
    assert value is KNOWN and number == 1 and digest == line_hash(line)


def test_a_broken_jsonl_line_after_good_ones_is_a_bad_record():
    data = (json.dumps(EVENT) + "\n{inte json\n").encode()
    assert isinstance(_records(data)[1][1], Bad)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<html>inte json</html>",
        b"{inte json\n" + json.dumps(EVENT).encode(),
        b'[{"id": 1}, {"id": 2',
        b'[{"id": 1} {"id": 2}]',
        b'[{"id": 1}] extra',
    ],
)
def test_malformed_file_raises_a_clear_error(data):
    with pytest.raises(ImportFileError) as error:
        _records(data)
    assert str(error.value)


def test_gzip_detected_by_magic_bytes_not_name(tmp_path):
    from samverkan.indicators.polisen import open_source

    path = tmp_path / "handelser.json"  # no .gz in the name
    path.write_bytes(gzip.compress(json.dumps([EVENT]).encode()))
    opened = open_source(path)
    try:
        assert opened.gzipped
        assert [v for _n, v, _h in iter_records(opened.stream)] == [EVENT]
    finally:
        opened.close()

"""The import's fast paths (issue 12) agree with the careful ones they stand in for."""

from __future__ import annotations

import datetime as dt
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from samverkan.indicators.polisen import STOCKHOLM, iter_records, month_of, parse_datetime

OFFSETS = st.integers(min_value=-14, max_value=14).map(lambda h: dt.timezone(dt.timedelta(hours=h)))
MOMENTS = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 12, 31), timezones=OFFSETS
)


@given(MOMENTS)
def test_month_of_is_the_swedish_month_for_any_offset(when):
    local = when.astimezone(STOCKHOLM)
    assert month_of(when) == dt.date(local.year, local.month, 1)


@given(MOMENTS.map(lambda w: w.replace(microsecond=0)))
def test_fast_datetime_reads_the_api_shape_as_the_full_parser_does(when):
    offset = when.strftime("%z")
    text = f"{when:%Y-%m-%d} {when.hour}:{when:%M:%S} {offset[:3]}:{offset[3:]}"
    parsed = parse_datetime(text)
    assert parsed == when and parsed.utcoffset() == when.utcoffset()


def test_impossible_dates_still_fail():
    for text in ("2024-02-30 10:00:00 +01:00", "2024-13-01 10:00:00 +01:00", "2024-01-01 25:00:00 +01:00"):
        try:
            parse_datetime(text)
        except ValueError:
            continue
        raise AssertionError(text)


def _records(data: bytes):
    return [value for _line, value, _hash in iter_records(io.BytesIO(data))]


def test_json_lines_decode_as_the_standard_library_does():
    # orjson refuses a 70-bit integer and NaN, json accepts them: what json accepts is still accepted
    # (the importer then judges the id), and a byte-order mark may open the file.
    lines = [b'{"id": 1180591620717411303424}', b'{"id": 2, "x": NaN}', b'{"id": 3, "name": "Mal\\u00e5"}']
    values = _records(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    assert values[0] == {"id": 2**70}
    assert values[1]["id"] == 2 and values[1]["x"] != values[1]["x"]  # NaN
    assert values[2] == json.loads(lines[2])


def test_a_broken_line_after_a_good_one_is_reported_as_before():
    values = _records(b'{"id": 1}\n{"id": \n')
    assert values[0] == {"id": 1} and "JSON" in values[1].reason

"""Core's shared export helpers: formula-safe XLSX cells and calendar entries across a DST change."""

from __future__ import annotations

import datetime as dt

import icalendar
from openpyxl import Workbook, load_workbook

from samverkan.core.exports.ics import STOCKHOLM, CalendarEntry, calendar_bytes
from samverkan.core.exports.xlsx import add_sheet, new_workbook, safe_cell, workbook_bytes


def test_safe_cell_neutralises_formulas_and_control_characters():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("a\x00b") == "ab"
    assert safe_cell(3) == 3


def test_add_sheet_writes_a_frozen_bold_header():
    workbook = Workbook()
    add_sheet(workbook, "Åtgärder", ["Id", "Titel"], [[1, "+inte en formel"]], [8, 30])
    sheet = load_workbook(__import__("io").BytesIO(workbook_bytes(workbook)))["Åtgärder"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "B2"
    assert sheet["B2"].value == "'+inte en formel"


def test_add_sheet_streams_a_write_only_workbook_with_the_same_house_style():
    from openpyxl.styles import Font

    red = {"font": Font(color="9C0006", bold=True)}
    workbook = new_workbook()
    add_sheet(
        workbook,
        "Uppföljningar",
        ["Id", "Text", "Dag", "Bedömning"],
        [[1, "x" * 50, dt.date(2026, 3, 1), "Röd"], [2, "=1+1", dt.datetime(2026, 3, 1, 9, 30), "Grön"]],
        [8, 30, 12, 12],
        freeze="A2",
        column_styles={3: lambda value: red if value == "Röd" else None},
    )
    sheet = load_workbook(__import__("io").BytesIO(workbook_bytes(workbook)))["Uppföljningar"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 30
    assert sheet["B2"].alignment.wrap_text and not sheet["B3"].alignment.wrap_text
    assert sheet["B3"].value == "'=1+1"
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["C3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D2"].font.color.rgb == "009C0006" and not sheet["D3"].font.bold


def test_calendar_keeps_local_time_across_daylight_saving_and_marks_cancellations():
    before = CalendarEntry(
        uid="meeting-1@samverkan",
        sequence=0,
        start=dt.datetime(2026, 3, 26, 9, 0, tzinfo=STOCKHOLM),
        end=dt.datetime(2026, 3, 26, 11, 0, tzinfo=STOCKHOLM),
        summary="REK-gruppen",
    )
    after = CalendarEntry(
        uid="meeting-2@samverkan",
        sequence=3,
        start=dt.datetime(2026, 4, 2, 9, 0, tzinfo=STOCKHOLM),
        end=dt.datetime(2026, 4, 2, 11, 0, tzinfo=STOCKHOLM),
        summary="REK-gruppen",
        cancelled=True,
    )
    calendar = icalendar.Calendar.from_ical(calendar_bytes([before, after], method="CANCEL"))
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart").hour for e in events] == [9, 9]
    assert [e.decoded("dtstart").utcoffset() for e in events] == [
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    ]
    assert str(events[1]["status"]) == "CANCELLED" and int(events[1]["sequence"]) == 3
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Stockholm"

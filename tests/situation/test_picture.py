"""The joint picture builder and its services: submitted reports only, comparisons, strictest level,
areas ↔ events, freezing agreed versions with each part's own level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.core.levels import strictest
from samverkan.core.models import AuditEntry, Level, Role
from samverkan.situation.models import (
    Answer,
    AreaSummary,
    Event,
    EventCategory,
    PictureItem,
    PictureVersion,
    Question,
    Report,
    Round,
    Section,
    Template,
)
from samverkan.situation.selectors.picture import (
    build_picture,
    one_year_earlier,
    series_months,
    version_data,
)
from samverkan.situation.services import report_save, report_submit
from samverkan.situation.services.picture import area_summary_save, picture_agree
from tests.factories import OrganisationFactory, ParticipationFactory
from tests.situation.factories import AnswerFactory, EventFactory, ReportFactory, RoundFactory, question

BEGRANSAD, INTERN, OPPEN = Level.BEGRANSAD.value, Level.INTERN.value, Level.OPPEN.value
POLIS_SAMORDNARE = frozenset({"polis", "samordnare"})


# --- Helpers (imported by the view and export tests) ------------------------------------------------


def submit_world_report(
    world: Any, *, status: str = "gul", trend: str = "okar", extra: dict | None = None
) -> Report:
    """Fill collaboration A's report (fixture answers kept) and submit it, through the services."""
    rows = world.situation["A"]
    report, round_ = rows["report"], rows["round"]
    answers: dict[int, dict[str, Any]] = {}
    for q in Question.objects.filter(section__template=round_.template, required=True):
        if q.kind == Question.Kind.STATUS and not report.answers.filter(question=q).exists():
            answers[q.pk] = {"status": status}
        elif q.kind == Question.Kind.TREND:
            answers[q.pk] = {"trend": trend}
    answers.update(extra or {})
    report_save(report=report, answers=answers, acting_user=world.users["samordnare"])
    return report_submit(report=report, acting_user=world.users["samordnare"])


def other_round(world: Any, start: dt.date, *, period: str = Round.Period.MONTH) -> Round:
    """A past round of collaboration A asking org A."""
    return RoundFactory(
        collaboration=world.a,
        period=period,
        period_start=start,
        deadline=timezone.now() - dt.timedelta(days=1),
        organisations=[world.org_a],
    )


def submitted_status(
    world: Any, round_: Round, org: Any, area_code: str, status: str, level: str = INTERN
) -> Answer:
    report = Report.objects.filter(round=round_, organisation=org).first() or ReportFactory(
        round=round_, organisation=org, submitted=True
    )
    return AnswerFactory(
        report=report, question=question(round_, Question.Kind.STATUS, area_code), status=status, level=level
    )


def area(data: Any, code: str) -> Any:
    return next(a for a in data.areas if a.area_code == code)


def cell(data: Any, code: str, organisation: str) -> Any:
    return next(c for c in area(data, code).cells if c.organisation == organisation)


def all_text(data: Any) -> str:
    parts = [e.description for e in data.events]
    for a in data.areas:
        parts += [t.text for t in a.texts] + [p for t in a.texts for p in t.places]
        if a.summary:
            parts.append(a.summary.text)
    return "\n".join(parts)


# --- strictest ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], (OPPEN, frozenset())),
        ([(OPPEN, "")], (OPPEN, frozenset())),
        ([(OPPEN, ""), (INTERN, "polis,samordnare")], (INTERN, frozenset())),
        ([(INTERN, ""), (BEGRANSAD, "polis,samordnare"), (OPPEN, "")], (BEGRANSAD, POLIS_SAMORDNARE)),
        ([(BEGRANSAD, "polis,samordnare"), (BEGRANSAD, {"polis"})], (BEGRANSAD, frozenset({"polis"}))),
        (
            [(BEGRANSAD, "ledamot,polis,samordnare"), (BEGRANSAD, "lasare,polis,samordnare")],
            (BEGRANSAD, POLIS_SAMORDNARE),
        ),
        # Nobody is entitled to both parts: the whole is readable by no role.
        ([(BEGRANSAD, "polis"), (BEGRANSAD, "samordnare")], (BEGRANSAD, frozenset())),
    ],
)
def test_strictest(parts, expected):
    assert strictest(parts) == expected


def test_strictest_is_order_independent():
    parts = [(BEGRANSAD, "polis,samordnare"), (INTERN, ""), (BEGRANSAD, "ledamot,polis")]
    assert strictest(parts) == strictest(reversed(parts)) == (BEGRANSAD, frozenset({"polis"}))


@pytest.mark.parametrize(
    ("period", "start", "expected"),
    [
        ("manad", dt.date(2026, 10, 1), dt.date(2025, 10, 1)),
        ("kvartal", dt.date(2024, 1, 1), dt.date(2023, 1, 1)),
        ("vecka", dt.date(2026, 11, 16), dt.date(2025, 11, 17)),  # ISO week 47 both years
        ("vecka", dt.date(2026, 12, 28), dt.date(2025, 12, 22)),  # week 53 → the earlier year's week 52
    ],
)
def test_same_period_a_year_earlier(period, start, expected):
    assert one_year_earlier(period, start) == expected


# --- The live picture -----------------------------------------------------------------------------------


def test_areas_follow_the_template_and_every_asked_organisation_has_a_cell(world):
    data = build_picture(round_=world.situation["A"]["round"], user=world.users["samordnare"])
    assert [a.area_code for a in data.areas] == ["ordning", "vald", "extremism", "unga", "ant", "tjansteman"]
    assert data.organisations == [world.org_a.name]
    assert all(len(a.cells) == 1 for a in data.areas)
    assert (data.asked_count, data.submitted_count, data.missing) == (1, 0, [world.org_a.name])


def test_only_submitted_reports_feed_the_picture(world):
    round_ = world.situation["A"]["round"]
    samordnare = world.users["samordnare"]
    draft = build_picture(round_=round_, user=samordnare)
    assert not cell(draft, "vald", world.org_a.name).has_content
    assert "KANARIE-A-BEGRANSAD svar" not in all_text(draft)

    submit_world_report(world)
    live = build_picture(round_=round_, user=samordnare)
    vald = cell(live, "vald", world.org_a.name)
    assert (vald.status, vald.trend, vald.submitted) == ("gul", "okar", True)
    assert "KANARIE-A-BEGRANSAD svar" in all_text(live)
    assert area(live, "vald").texts[1].places == ["KANARIE-A-INTERN torget"]
    assert live.submitted_count == 1


def test_readers_see_only_what_the_rule_lets_them(world):
    submit_world_report(world)
    round_ = world.situation["A"]["round"]
    ledamot = build_picture(round_=round_, user=world.users["ledamot"])
    text = all_text(ledamot)
    assert "KANARIE-A-INTERN" in text
    assert "KANARIE-A-BEGRANSAD" not in text
    assert area(ledamot, "vald").summary is None
    assert area(ledamot, "vald").event_count == 2


def test_comparisons_with_previous_round_and_same_period_last_year(world):
    round_ = world.situation["A"]["round"]
    org = world.org_a.name
    submitted_status(world, other_round(world, dt.date(2026, 8, 1)), world.org_a, "vald", "rod")
    submitted_status(world, other_round(world, dt.date(2026, 9, 1)), world.org_a, "vald", "gron")
    submitted_status(world, other_round(world, dt.date(2025, 10, 1)), world.org_a, "vald", "orange")
    # Another period type is not compared with.
    submitted_status(
        world,
        other_round(world, dt.date(2026, 7, 1), period=Round.Period.QUARTER),
        world.org_a,
        "vald",
        "rod",
    )
    submit_world_report(world)

    data = build_picture(round_=round_, user=world.users["ledamot"])
    assert data.previous_round.period_start == dt.date(2026, 9, 1)
    assert data.last_year_round.period_start == dt.date(2025, 10, 1)
    vald = cell(data, "vald", org)
    assert (vald.status, vald.previous_status, vald.last_year_status) == ("gul", "gron", "orange")
    assert (vald.change_vs_previous, vald.change_vs_last_year) == ("sämre", "bättre")
    assert "förra: Grön, sämre" in vald.comparison_text
    # Areas without an earlier answer have nothing to compare with.
    assert cell(data, "ordning", org).previous_status == ""


def test_a_cell_takes_the_strictest_level_of_its_answers(world):
    round_ = world.situation["A"]["round"]
    trend_q = question(round_, Question.Kind.TREND, "vald")
    submit_world_report(
        world,
        extra={
            trend_q.pk: {"trend": "minskar", "level": BEGRANSAD, "restricted_to": ["polis", "samordnare"]}
        },
    )
    samordnare_cell = cell(
        build_picture(round_=round_, user=world.users["samordnare"]), "vald", world.org_a.name
    )
    assert (samordnare_cell.trend, samordnare_cell.level) == ("minskar", BEGRANSAD)
    assert samordnare_cell.restricted_to == POLIS_SAMORDNARE
    ledamot_cell = cell(build_picture(round_=round_, user=world.users["ledamot"]), "vald", world.org_a.name)
    assert (ledamot_cell.status, ledamot_cell.trend, ledamot_cell.level) == ("gul", "", INTERN)


def test_a_begransad_earlier_status_makes_the_cell_begransad(world):
    round_ = world.situation["A"]["round"]
    submitted_status(
        world, other_round(world, dt.date(2026, 9, 1)), world.org_a, "vald", "rod", level=BEGRANSAD
    )
    submit_world_report(world)
    for_samordnare = cell(
        build_picture(round_=round_, user=world.users["samordnare"]), "vald", world.org_a.name
    )
    assert (for_samordnare.previous_status, for_samordnare.level) == ("rod", BEGRANSAD)
    for_ledamot = cell(build_picture(round_=round_, user=world.users["ledamot"]), "vald", world.org_a.name)
    assert (for_ledamot.previous_status, for_ledamot.level) == ("", INTERN)


def test_events_map_to_areas_by_category_area_code_and_period(world):
    round_ = world.situation["A"]["round"]
    ordning = EventCategory.objects.filter(collaboration=None, area_code="ordning").first()
    custom = EventCategory.objects.create(collaboration=world.a, name="Eget", area_code="inget-omrade")

    def event(when: dt.datetime, category: Any, text: str) -> Event:
        return EventFactory(
            collaboration=world.a,
            category=category,
            occurred_at=timezone.make_aware(when),
            description=text,
            latitude=65.18,
            longitude=18.74,
        )

    event(dt.datetime(2026, 10, 31, 23, 30), ordning, "sista kvällen")
    event(dt.datetime(2026, 10, 3, 12, 0), custom, "utan område")
    event(dt.datetime(2026, 9, 30, 23, 30), ordning, "förra månaden")
    event(dt.datetime(2025, 11, 2, 12, 0), ordning, "för ett år sedan")
    event(dt.datetime(2025, 10, 2, 12, 0), ordning, "utanför tidsserien")

    data = build_picture(round_=round_, user=world.users["samordnare"])
    descriptions = [e.description for e in data.events]
    assert "sista kvällen" in descriptions and "utan område" in descriptions
    assert "förra månaden" not in descriptions
    assert (area(data, "vald").event_count, area(data, "ordning").event_count) == (3, 1)
    assert {e["label"] for e in data.map_events} >= {"sista kvällen", "KANARIE-A-BEGRANSAD händelse"}
    assert data.map_kommun_codes == ["2418"]

    months = series_months(round_)
    assert months[0] == dt.date(2025, 11, 1) and months[-1] == dt.date(2026, 10, 1) and len(months) == 12
    by_month = {m.month: m for m in data.series}
    assert by_month[dt.date(2026, 10, 1)].counts == {"vald": 3, "ordning": 1, "inget-omrade": 1}
    assert by_month[dt.date(2026, 9, 1)].total == 1
    assert by_month[dt.date(2025, 11, 1)].total == 1
    assert sum(m.total for m in data.series) == 7
    assert data.series_columns[-1] == ("", "Övriga")
    assert data.series_rows[-1] == (dt.date(2026, 10, 1), [1, 3, 0, 0, 0, 0, 1], 5)

    ledamot = build_picture(round_=round_, user=world.users["ledamot"])
    assert {m.month: m for m in ledamot.series}[dt.date(2026, 10, 1)].counts["vald"] == 2


# --- Agreeing -------------------------------------------------------------------------------------------


def _polis_only_answer(world: Any) -> None:
    """The police add a text that only the police may read (not even the samordnare)."""
    round_ = world.situation["A"]["round"]
    text_q = question(round_, Question.Kind.TEXT, "extremism")
    submit_world_report(world)
    report_save(
        report=world.situation["A"]["report"],
        answers={
            text_q.pk: {
                "text": "KANARIE-A-BARA-POLIS underrättelse",
                "level": BEGRANSAD,
                "restricted_to": ["polis"],
            }
        },
        acting_user=world.users["polis"],
    )


def test_polis_only_answer_is_hidden_live_from_samordnare_but_frozen_for_polis(world):
    _polis_only_answer(world)
    round_ = world.situation["A"]["round"]
    assert "KANARIE-A-BARA-POLIS" not in all_text(
        build_picture(round_=round_, user=world.users["samordnare"])
    )
    assert "KANARIE-A-BARA-POLIS" in all_text(build_picture(round_=round_, user=world.users["polis"]))

    version = picture_agree(
        round_=round_,
        acting_user=world.users["samordnare"],
        meeting="REK-gruppen",
        meeting_date=dt.date(2026, 11, 12),
    )
    frozen = PictureItem.objects.get(version=version, text__startswith="KANARIE-A-BARA-POLIS")
    assert (frozen.level, frozen.restricted_to, frozen.kind) == (BEGRANSAD, "polis", PictureItem.Kind.TEXT)
    assert "KANARIE-A-BARA-POLIS" in all_text(version_data(version=version, user=world.users["polis"]))
    for persona in ("samordnare", "ledamot", "lasare"):
        assert "KANARIE-A-BARA-POLIS" not in all_text(
            version_data(version=version, user=world.users[persona])
        )


def test_only_an_explicit_unfiltered_build_reads_every_part(world):
    _polis_only_answer(world)
    round_ = world.situation["A"]["round"]
    everything = build_picture(round_=round_, unfiltered=True)
    assert "KANARIE-A-BARA-POLIS" in all_text(everything)
    assert cell(everything, "vald", world.org_a.name).status
    # No user is no reader: like visible_to(None), none of the levelled parts.
    nobody = build_picture(round_=round_, user=None)
    assert all_text(nobody) == ""
    assert not any(c.status or c.trend for a in nobody.areas for c in a.cells)
    assert nobody.source_rows == []
    assert version_data(version=_agree(world), user=None).source_rows == []


def _agree(world: Any) -> PictureVersion:
    return picture_agree(
        round_=world.situation["A"]["round"],
        acting_user=world.users["samordnare"],
        meeting="REK-gruppen",
        meeting_date=dt.date(2026, 11, 12),
    )


def test_agree_freezes_every_part_with_its_level_as_the_next_version(world):
    submit_world_report(world)
    round_ = world.situation["A"]["round"]
    samordnare = world.users["samordnare"]
    version = picture_agree(
        round_=round_, acting_user=samordnare, meeting="REK", meeting_date=dt.date(2026, 11, 12)
    )
    assert version.number == 2  # the fixture holds version 1
    items = PictureItem.objects.filter(version=version)
    kinds = set(items.values_list("kind", flat=True))
    assert kinds == {"cell", "text", "places", "summary", "event", "number"}
    event = items.get(kind="event", level=BEGRANSAD)
    assert event.payload["category"] and event.payload["occurred_at"].startswith("2026-10-12")
    assert event.payload["place"] == "Torget A"
    assert items.get(kind="summary").level == BEGRANSAD
    assert AuditEntry.objects.filter(
        target_type="situation.pictureversion", target_id=str(version.pk)
    ).exists()

    live = build_picture(round_=round_, user=samordnare)
    frozen = version_data(version=version, user=samordnare)
    assert [a.title for a in frozen.areas] == [a.title for a in live.areas]
    assert frozen.organisations == live.organisations
    assert cell(frozen, "vald", world.org_a.name).status == "gul"
    assert all_text(frozen) == all_text(live)
    assert [m.total for m in frozen.series] == [m.total for m in live.series]
    assert (frozen.submitted_count, frozen.asked_count) == (1, 1)

    ledamot = version_data(version=version, user=world.users["ledamot"])
    assert "KANARIE-A-BEGRANSAD" not in all_text(ledamot)
    assert area(ledamot, "vald").event_count == 2
    public = version_data(version=version, user=world.users["ledamot"], public_only=True)
    assert all(not c.visible for a in public.areas for c in a.cells)
    assert "KANARIE-A-INTERN" not in all_text(public) and "KANARIE-A-OPPEN händelse" in all_text(public)
    assert public.completeness == []


def test_later_edits_change_the_live_picture_only_and_agreeing_again_makes_a_new_version(world):
    submit_world_report(world)
    round_ = world.situation["A"]["round"]
    samordnare = world.users["samordnare"]
    section = Section.objects.get(template=round_.template, area_code="vald")
    area_summary_save(
        picture_or_round=round_, section=section, text="Första bilden", level=OPPEN, acting_user=samordnare
    )
    first = picture_agree(
        round_=round_, acting_user=samordnare, meeting="REK", meeting_date=dt.date(2026, 11, 12)
    )
    before = all_text(version_data(version=first, user=samordnare))

    area_summary_save(
        picture_or_round=round_, section=section, text="Andra bilden", level=INTERN, acting_user=samordnare
    )
    report_save(
        report=world.situation["A"]["report"],
        answers={question(round_, Question.Kind.STATUS, "vald").pk: {"status": "rod"}},
        acting_user=samordnare,
    )
    assert area(build_picture(round_=round_, user=samordnare), "vald").summary.text == "Andra bilden"
    assert all_text(version_data(version=first, user=samordnare)) == before
    assert cell(version_data(version=first, user=samordnare), "vald", world.org_a.name).status == "gul"

    second = picture_agree(
        round_=round_, acting_user=samordnare, meeting="REK", meeting_date=dt.date(2026, 12, 10)
    )
    assert second.number == first.number + 1
    again = version_data(version=second, user=samordnare)
    assert area(again, "vald").summary.text == "Andra bilden"
    assert cell(again, "vald", world.org_a.name).status == "rod"
    assert (
        area(version_data(version=first, user=world.users["ledamot"], public_only=True), "vald").summary.text
        == "Första bilden"
    )


def test_only_samordnare_agrees_and_bad_input_writes_nothing(world):
    round_ = world.situation["A"]["round"]
    for persona in ("polis", "ledamot", "lasare", "outsider"):
        with pytest.raises(PermissionDenied):
            picture_agree(
                round_=round_,
                acting_user=world.users[persona],
                meeting="REK",
                meeting_date=dt.date(2026, 11, 1),
            )
    with pytest.raises(ValidationError) as error:
        picture_agree(round_=round_, acting_user=world.users["samordnare"], meeting="  ", meeting_date=None)  # type: ignore[arg-type]
    assert set(error.value.error_dict) == {"meeting", "meeting_date"}
    assert PictureVersion.objects.filter(picture__round=round_).count() == 1


def test_agreeing_refuses_a_text_written_before_the_guard_and_names_it(world):
    # Issue 11 item 3: freezing copied answers as they were; one written before identity numbers were
    # refused at every level went into the record. Now the agreement is refused and names the part.
    submit_world_report(world)
    round_ = world.situation["A"]["round"]
    text_q = question(round_, Question.Kind.TEXT, "vald")
    answer = Answer.objects.get(report=world.situation["A"]["report"], question=text_q)
    Answer.objects.filter(pk=answer.pk).update(text="Gäller 19121212-1212", level=INTERN)  # the old rule
    with pytest.raises(ValidationError) as error:
        picture_agree(
            round_=round_,
            acting_user=world.users["samordnare"],
            meeting="REK",
            meeting_date=dt.date(2026, 11, 1),
        )
    text = " ".join(error.value.messages)
    assert "kan inte fastställas" in text and world.org_a.name in text and "19121212-****" in text
    assert "19121212-1212" not in text
    assert PictureVersion.objects.filter(picture__round=round_).count() == 1
    Answer.objects.filter(pk=answer.pk).update(text="Gäller en person")
    assert (
        picture_agree(
            round_=round_,
            acting_user=world.users["samordnare"],
            meeting="REK",
            meeting_date=dt.date(2026, 11, 1),
        ).number
        == 2
    )


def test_several_organisations_each_get_their_cells(world):
    other = OrganisationFactory(name="Aaa skolan")
    ParticipationFactory(collaboration=world.a, organisation=other)
    round_ = world.situation["A"]["round"]
    round_.organisations.add(other)
    submitted_status(world, round_, other, "unga", "orange")
    data = build_picture(round_=round_, user=world.users["lasare"])
    assert data.organisations == ["Aaa skolan", world.org_a.name]
    assert cell(data, "unga", "Aaa skolan").status == "orange"
    assert not cell(data, "unga", world.org_a.name).submitted
    assert data.missing == [world.org_a.name]


# --- Area summaries -------------------------------------------------------------------------------------


def test_area_summary_save_rules(world):
    round_ = world.situation["A"]["round"]
    samordnare = world.users["samordnare"]
    section = Section.objects.get(template=round_.template, area_code="unga")
    summary = area_summary_save(
        picture_or_round=round_, section=section, text="  Lugnt i skolorna.  ", acting_user=samordnare
    )
    assert (summary.text, summary.level, summary.picture) == (
        "Lugnt i skolorna.",
        INTERN,
        world.situation["A"]["picture"],
    )

    summary = area_summary_save(
        picture_or_round=world.situation["A"]["picture"],
        section=section,
        text="Oro vid fritidsgården",
        level=BEGRANSAD,
        restricted_to=[Role.POLIS, Role.SAMORDNARE],
        acting_user=samordnare,
    )
    assert summary.level == BEGRANSAD and AreaSummary.objects.filter(section=section).count() == 1

    with pytest.raises(ValidationError) as error:
        area_summary_save(
            picture_or_round=round_,
            section=section,
            text="Ring 070-123 45 67",
            level=OPPEN,
            acting_user=samordnare,
        )
    assert "text" in error.value.error_dict
    assert AreaSummary.objects.get(section=section).text == "Oro vid fritidsgården"

    for persona in ("polis", "ledamot", "lasare", "outsider"):
        with pytest.raises(PermissionDenied):
            area_summary_save(
                picture_or_round=round_, section=section, text="x", acting_user=world.users[persona]
            )

    foreign = Section.objects.create(template=Template.objects.create(name="Annan mall"), title="X")
    with pytest.raises(ValidationError):
        area_summary_save(picture_or_round=round_, section=foreign, text="x", acting_user=samordnare)

    assert (
        area_summary_save(picture_or_round=round_, section=section, text="", acting_user=samordnare) is None
    )
    assert not AreaSummary.objects.filter(section=section).exists()
    actions = set(
        AuditEntry.objects.filter(target_type="situation.areasummary").values_list("action", flat=True)
    )
    assert actions == {AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE}

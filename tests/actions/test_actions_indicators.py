"""Indicators of an action: by hand or from the statistics, the target line on the indicator's chart, and
the readings (latest value and series) the follow-up and traceability pages use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.actions.models import ActionIndicator, FollowUp, IndicatorValue, Rating
from samverkan.actions.selectors.indicators import indicator_reading, indicator_readings
from samverkan.actions.services.actions import action_delete
from samverkan.actions.services.indicators import action_indicator_delete, action_indicator_save
from samverkan.core.models import Kommun, Level
from samverkan.indicators.models import Target
from tests.indicators.factories import DataPointFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

MALA = "2418"


def _action(world, level=Level.OPPEN):
    return world.cycle["A"]["levels"][level]["action"]


def _save(world, action=None, **fields):
    return action_indicator_save(
        action=action or _action(world),
        acting_user=world.users["samordnare"],
        **{"name": "Skadegörelse", **fields},
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target": Decimal(5), "baseline": Decimal(10)}, "direction"),
        ({"target": Decimal(5), "direction": "minska"}, "baseline"),
        ({"target": Decimal("1e15"), "baseline": Decimal(1), "direction": "minska"}, "target"),
        ({"direction": "uppåt"}, "direction"),
        ({"source": "statistik"}, "indicator"),
        ({"name": ""}, "name"),
    ],
)
def test_a_target_needs_a_baseline_and_a_direction(world, fields, field):
    before = ActionIndicator.objects.count()
    with pytest.raises(ValidationError) as error:
        _save(world, **fields)
    assert field in error.value.message_dict, error.value.message_dict
    assert ActionIndicator.objects.count() == before


def test_a_hand_entered_indicator_takes_its_actions_level(world):
    action = _action(world, Level.BEGRANSAD)
    row = _save(world, action, baseline=Decimal(10), target=Decimal(5), direction="minska")
    assert row.level == Level.BEGRANSAD and row.restricted_roles == action.restricted_roles
    assert row.target_line is None


def test_a_statistics_indicator_of_another_kommun_is_refused(world):
    indicator = IndicatorFactory()
    with pytest.raises(ValidationError) as error:
        _save(world, source="statistik", indicator=indicator, kommun=Kommun.objects.get(kod="2039"))
    assert "kommun" in error.value.message_dict


def test_a_statistics_target_is_drawn_on_the_indicator_chart(world):
    indicator = IndicatorFactory(name="Anmälda skadegörelsebrott")
    DataPointFactory(indicator=indicator, period_start=dt.date(2024, 1, 1), value=Decimal(14))
    DataPointFactory(indicator=indicator, period_start=dt.date(2024, 2, 1), value=Decimal(9))
    action = _action(world)
    row = _save(
        world,
        source="statistik",
        name="",
        indicator=indicator,
        kommun=Kommun.objects.get(kod=MALA),
        baseline=Decimal(14),
        baseline_on=dt.date(2024, 1, 1),
        target=Decimal(7),
        target_on=dt.date(2026, 12, 31),
        direction="minska",
    )
    assert row.name == "Anmälda skadegörelsebrott"
    line = Target.objects.get(pk=row.target_line_id)
    assert (line.indicator_id, line.kommun_id, line.collaboration_id) == (indicator.pk, MALA, world.a.pk)
    assert line.value == 7 and line.valid_to == dt.date(2026, 12, 31)
    assert line.label == f"{action.number}. {action.title}"
    page = world.client("ledamot").get(
        reverse("indicators:detail", args=[world.a.pk, indicator.pk]) + f"?kommun={MALA}"
    )
    assert f"{action.number}. {action.title}" in page.content.decode()
    from samverkan.core.services import api_token_create

    _token, raw = api_token_create(user=world.users["ledamot"], name="t")
    data = world.client("ledamot").get(
        f"/api/v1/indicators/{indicator.pk}?kommun={MALA}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert any(t["value"] == "7.000000" or float(t["value"]) == 7 for t in data.json()["targets"])
    # The measured values come from the imports.
    reading = indicator_reading(row, user=world.users["ledamot"])
    assert reading.series == [(dt.date(2024, 1, 1), Decimal(14)), (dt.date(2024, 2, 1), Decimal(9))]
    assert reading.latest_value == 9 and reading.reached is False

    # Changed, the line follows; made manual, the line goes.
    _save(
        world,
        row=row,
        source="statistik",
        name=row.name,
        indicator=indicator,
        kommun=Kommun.objects.get(kod=MALA),
        baseline=Decimal(14),
        target=Decimal(6),
        direction="minska",
    )
    assert Target.objects.get(pk=line.pk).value == 6
    _save(world, row=row, name=row.name, baseline=Decimal(14), target=Decimal(6), direction="minska")
    assert not Target.objects.filter(pk=line.pk).exists()


def test_a_begransad_actions_line_is_named_by_number_only(world):
    action = _action(world, Level.BEGRANSAD)
    row = _save(
        world,
        action,
        source="statistik",
        indicator=IndicatorFactory(),
        kommun=Kommun.objects.get(kod=MALA),
        baseline=Decimal(3),
        target=Decimal(1),
        direction="minska",
    )
    label = Target.objects.get(pk=row.target_line_id).label
    assert "KANARIE" not in label and str(action.number) in label


def test_removing_the_indicator_or_the_action_removes_the_line(world):
    def statistical(action):
        return _save(
            world,
            action,
            source="statistik",
            indicator=IndicatorFactory(),
            kommun=Kommun.objects.get(kod=MALA),
            baseline=Decimal(3),
            target=Decimal(1),
            direction="minska",
        )

    row = statistical(_action(world))
    action_indicator_delete(row=row, acting_user=world.users["samordnare"])
    assert not Target.objects.filter(pk=row.target_line_id).exists()
    other = statistical(_action(world, Level.INTERN))
    action_delete(action=_action(world, Level.INTERN), acting_user=world.users["samordnare"])
    assert not Target.objects.filter(pk=other.target_line_id).exists()


def test_hand_entered_readings_come_from_follow_ups_the_reader_may_read(world):
    action = _action(world, Level.INTERN)
    row = _save(world, action, baseline=Decimal(10), target=Decimal(4), direction="minska")
    for day, value, level in (
        (dt.date(2026, 1, 10), 8, Level.INTERN),
        (dt.date(2026, 4, 10), 3, Level.BEGRANSAD),
    ):
        followup = FollowUp.objects.create(
            collaboration=world.a, action=action, followed_up_on=day, rating=Rating.GUL, level=level
        )
        IndicatorValue.objects.create(
            collaboration=world.a, followup=followup, indicator=row, value=value, level=level
        )
    assert indicator_reading(row, user=world.users["polis"]).latest_value == 3
    assert indicator_reading(row, user=world.users["polis"]).reached is True
    for_ledamot = indicator_readings([row], user=world.users["ledamot"])[row.pk]
    assert [value for _day, value in for_ledamot.series] == [8]


def test_indicator_pages(world):
    action = _action(world, Level.INTERN)
    client = world.client("samordnare")
    url = reverse("actions:indicator_create", args=[world.a.pk, action.pk])
    bad = client.post(url, {"source": "manuell", "name": "Otrygghet", "target": "5", "level": "intern"})
    assert bad.status_code == 200
    assert "Ett målvärde kräver en riktning" in bad.content.decode()
    assert not ActionIndicator.objects.filter(name="Otrygghet").exists()
    good = client.post(
        url,
        {
            "source": "manuell",
            "name": "Otrygghet",
            "baseline": "30",
            "target": "20",
            "direction": "minska",
            "level": "intern",
        },
    )
    assert good.status_code == 302
    row = ActionIndicator.objects.get(name="Otrygghet")
    detail = client.get(reverse("actions:action_detail", args=[world.a.pk, action.pk])).content.decode()
    assert "Otrygghet" in detail
    edit = reverse("actions:indicator_edit", args=[world.a.pk, action.pk, row.pk])
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not ActionIndicator.objects.filter(pk=row.pk).exists()
    assert world.client("ledamot").get(url).status_code == 403

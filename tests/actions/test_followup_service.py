"""followup_record: who may rate, the scale, the reason on a changed colour, values, levels, conflicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.actions.models import ActionIndicator, FollowUp, IndicatorValue, Rating
from samverkan.actions.services.followup import followup_record
from samverkan.core.conflicts import EditConflict
from samverkan.core.models import AuditEntry, Level
from tests.actions.factories_followup import make_action, make_followup, make_indicator, make_plan
from tests.factories import OrganisationFactory, ParticipationFactory

DAY = dt.date(2026, 3, 1)


@pytest.fixture
def setup(world):
    plan = make_plan(world.a)
    action = make_action(plan, world.org_a, level=Level.INTERN)
    indicator = make_indicator(action)
    return world, action, indicator


def _record(world, action, persona="samordnare", **fields):
    values = {"followed_up_on": DAY, "rating": Rating.GUL}
    values.update(fields)
    return followup_record(action=action, acting_user=world.users[persona], **values)


def test_records_with_the_actions_level_values_and_audit(setup):
    world, action, indicator = setup
    row = _record(world, action, done="Vandringar i centrum", values={indicator.pk: "35,5"}, version=0)
    assert (
        row.level == Level.INTERN
        and row.rating == Rating.GUL
        and row.recorded_by == world.users["samordnare"]
    )
    assert row.values.get().value == Decimal("35.5")
    assert AuditEntry.objects.filter(target_type="actions.followup", target_id=str(row.pk)).exists()


def test_the_same_day_is_updated_not_duplicated(setup):
    world, action, _indicator = setup
    first = _record(world, action, version=0)
    again = _record(world, action, done="Mer gjort", version=first.version)
    assert again.pk == first.pk and FollowUp.objects.filter(action=action).count() == 1
    assert again.done == "Mer gjort" and again.version == first.version + 1


@pytest.mark.parametrize("rating", ["lila", "", "ROD"])
def test_a_rating_outside_the_scale_is_refused(setup, rating):
    world, action, _indicator = setup
    with pytest.raises(ValidationError) as error:
        _record(world, action, rating=rating)
    assert error.value.message_dict["rating"] == ["Välj röd, gul eller grön."]
    assert not FollowUp.objects.filter(action=action).exists()


def test_a_changed_colour_needs_a_reason(setup):
    world, action, _indicator = setup
    make_followup(action, DAY - dt.timedelta(days=90), Rating.ROD)
    with pytest.raises(ValidationError) as error:
        _record(world, action, rating=Rating.GUL, reason="  ")
    assert "från röd till gul" in error.value.message_dict["reason"][0]
    assert FollowUp.objects.filter(action=action).count() == 1
    saved = _record(world, action, rating=Rating.GUL, reason="Polisen har börjat patrullera")
    assert saved.reason == "Polisen har börjat patrullera"


def test_the_same_colour_needs_no_reason(setup):
    world, action, _indicator = setup
    make_followup(action, DAY - dt.timedelta(days=90), Rating.GUL)
    assert _record(world, action, rating=Rating.GUL).pk


def test_the_reason_is_against_the_follow_up_before_the_day_not_after(setup):
    world, action, _indicator = setup
    make_followup(action, DAY + dt.timedelta(days=1), Rating.ROD)  # a later one does not count
    assert _record(world, action, rating=Rating.GRON).rating == Rating.GRON


def test_a_value_of_another_collaborations_indicator_is_refused_and_nothing_written(setup):
    world, action, _indicator = setup
    foreign = world.cycle["B"]["levels"][Level.OPPEN]["indicator"]
    with pytest.raises(ValidationError) as error:
        _record(world, action, values={foreign.pk: 3})
    assert error.value.message_dict["values"] == ["Indikatorn hör inte till åtgärden."]
    assert not FollowUp.objects.filter(action=action).exists()
    assert not IndicatorValue.objects.filter(indicator=foreign, followup__action=action).exists()


def test_a_value_that_is_not_a_number_is_refused(setup):
    world, action, indicator = setup
    with pytest.raises(ValidationError) as error:
        _record(world, action, values={indicator.pk: "många"})
    assert "ange ett tal" in error.value.message_dict["values"][0]
    assert not FollowUp.objects.filter(action=action).exists()


def test_a_statistics_indicator_takes_no_hand_entered_value(setup):
    world, action, _indicator = setup
    statistics = make_indicator(action, source=ActionIndicator.Source.STATISTIK, name="Anmälda brott")
    with pytest.raises(ValidationError) as error:
        _record(world, action, values={statistics.pk: 3})
    assert "statistiken" in error.value.message_dict["values"][0]


def test_a_value_set_to_none_is_removed(setup):
    world, action, indicator = setup
    first = _record(world, action, values={indicator.pk: 12})
    _record(world, action, values={indicator.pk: None}, version=first.version)
    assert not IndicatorValue.objects.filter(followup=first).exists()


def test_someone_rating_the_same_action_meanwhile_is_a_conflict(setup):
    world, action, _indicator = setup
    _record(world, action, rating=Rating.GRON, done="Först", version=0)
    with pytest.raises(EditConflict) as conflict:
        _record(world, action, persona="polis", rating=Rating.ROD, done="Sen", version=0)
    assert {f.name for f in conflict.value.fields} >= {"rating", "done"}
    row = FollowUp.objects.get(action=action)
    assert (row.rating, row.done) == (Rating.GRON, "Först")


def test_a_stale_version_is_a_conflict(setup):
    world, action, _indicator = setup
    first = _record(world, action, version=0)
    _record(world, action, done="Ändrat av samordnaren", version=first.version)
    with pytest.raises(EditConflict):
        _record(world, action, persona="polis", done="Polisens text", version=first.version)
    assert FollowUp.objects.get(action=action).done == "Ändrat av samordnaren"


def test_the_level_is_never_looser_than_the_actions(setup):
    world, action, _indicator = setup
    with pytest.raises(ValidationError) as error:
        _record(world, action, level=Level.OPPEN)
    assert "lägre sekretessnivå än åtgärden" in error.value.message_dict["level"][0]
    stricter = _record(world, action, level=Level.BEGRANSAD, restricted_to=["samordnare", "polis"])
    assert stricter.level == Level.BEGRANSAD


def test_a_date_in_the_future_and_negative_hours_are_refused(setup):
    world, action, _indicator = setup
    with pytest.raises(ValidationError) as error:
        _record(world, action, followed_up_on=dt.date.today() + dt.timedelta(days=2), hours_spent=Decimal(-1))
    assert set(error.value.message_dict) == {"followed_up_on", "hours_spent"}


def test_who_may_follow_up(setup):
    world, action, _indicator = setup
    other_org = OrganisationFactory(name="Polisen Malå – test")
    ParticipationFactory(collaboration=world.a, organisation=other_org)
    others = make_action(action.plan, other_org, level=Level.INTERN)
    assert _record(world, action, persona="ledamot").pk  # their own organisation's action
    for persona in ("lasare", "outsider"):
        with pytest.raises(PermissionDenied):
            _record(world, action, persona=persona, followed_up_on=DAY - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        _record(world, others, persona="ledamot")
    assert _record(world, others, persona="samordnare").pk
    assert not FollowUp.objects.filter(recorded_by=world.users["lasare"]).exists()


def test_personal_data_in_an_open_follow_up_is_refused(setup):
    world, _action, _indicator = setup
    open_action = make_action(_action.plan, world.org_a, level=Level.OPPEN)
    with pytest.raises(ValidationError) as error:
        _record(world, open_action, done="Ring Kalle på 070-123 45 67")
    assert "done" in error.value.message_dict
    assert not FollowUp.objects.filter(action=open_action).exists()

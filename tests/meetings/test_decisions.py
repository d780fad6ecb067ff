"""Decisions numbered per group and year: the next number, a clash refused clearly, levels from the item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from samverkan.core.models import Level
from samverkan.meetings.models import Decision
from samverkan.meetings.services.agenda import agenda_item_create
from samverkan.meetings.services.decisions import record_decision
from tests.meetings.test_agenda import new_meeting

pytestmark = pytest.mark.django_db


def test_numbers_follow_the_group_and_year(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    first = record_decision(meeting=meeting, text="Ett", acting_user=user)
    second = record_decision(meeting=meeting, text="Två", acting_user=user)
    # The world's meeting of the group already has § 1–3/2026.
    assert (first.number, second.number) == (4, 5)
    assert first.label == "§ 4/2026"
    next_year = new_meeting(world, start=dt.datetime(2027, 1, 20, 8, 0, tzinfo=dt.UTC))
    assert record_decision(meeting=next_year, text="Nytt år", acting_user=user).label == "§ 1/2027"
    # Another collaboration's group counts on its own.
    other = new_meeting(world, tag="B")
    assert record_decision(meeting=other, text="B", acting_user=world.users["outsider"]).number == 4


def test_year_is_the_stockholm_year(world):
    user = world.users["samordnare"]
    # 23:30 UTC on New Year's Eve is 00:30 on 1 January in Sweden.
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))
    assert record_decision(meeting=meeting, text="Natt", acting_user=user).year == 2027


def test_a_clash_is_a_clear_message_and_nothing_written(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    before = Decision.objects.count()
    with pytest.raises(ValidationError) as caught:
        record_decision(meeting=meeting, text="Krock", number=2, acting_user=user)
    assert "§ 2/2026 finns redan" in str(caught.value.message_dict["number"])
    assert Decision.objects.count() == before


def test_level_defaults_to_the_items_and_is_never_looser(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    item = agenda_item_create(meeting=meeting, title="Polisen", kind="polisinformation", acting_user=user)
    decision = record_decision(meeting=meeting, item=item, text="Hemligt", acting_user=user)
    assert decision.level == Level.BEGRANSAD
    assert decision.restricted_roles == item.restricted_roles
    with pytest.raises(ValidationError):
        record_decision(meeting=meeting, item=item, text="Öppet", level=Level.OPPEN, acting_user=user)


def test_item_of_another_meeting_refused(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    foreign = world.cycle["A"]["meeting"]["levels"][Level.INTERN]["item"]
    with pytest.raises(ValidationError):
        record_decision(meeting=meeting, item=foreign, text="x", acting_user=user)


def test_only_writers_of_the_minutes(world):
    meeting = new_meeting(world)
    for persona in ("ledamot", "lasare", "outsider"):
        with pytest.raises(PermissionDenied):
            record_decision(meeting=meeting, text="x", acting_user=world.users[persona])


def test_open_decision_with_personnummer_refused(world):
    meeting = new_meeting(world)
    with pytest.raises(ValidationError):
        record_decision(
            meeting=meeting,
            text="Gäller 19811218-9876",
            level=Level.OPPEN,
            acting_user=world.users["samordnare"],
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.usefixtures("reference_reloaded", "reference_restored_after_module")
def test_two_secretaries_at_once_get_consecutive_numbers():
    """PostgreSQL: two decisions recorded at the same moment in two sessions get n+1 and n+2 (the group
    row is locked while the number is taken), never a clash or a 500."""
    import threading

    from django.db import connections

    from samverkan.agreements.models import Group
    from samverkan.core.models import Role
    from samverkan.meetings.models import Meeting
    from tests.factories import CollaborationFactory, MembershipFactory, UserFactory

    collaboration = CollaborationFactory(name="Samtidigt")
    user = UserFactory(username="samtidig")
    MembershipFactory(user=user, collaboration=collaboration, role=Role.SAMORDNARE)
    group = Group.objects.create(collaboration=collaboration, name="REK", kind=Group.Kind.choices[0][0])
    start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        collaboration=collaboration, group=group, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def record(text: str) -> None:
        try:
            barrier.wait()
            outcomes.append(record_decision(meeting=meeting, text=text, acting_user=user).number)
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(f"Beslut {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [1, 2]  # type: ignore[type-var]

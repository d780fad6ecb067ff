"""The agenda drafts itself: items from the cycle at the right levels, a refresh that keeps the
secretary's edits and never duplicates, carry-forward, and the secretary's edits on the agenda page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.core.conflicts import EditConflict
from samverkan.core.models import Level
from samverkan.meetings.models import AgendaItem, Meeting, Minutes
from samverkan.meetings.services.agenda import (
    agenda_item_create,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    draft_agenda,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def new_meeting(world: Any, *, tag: str = "A", start: dt.datetime = START, **fields: Any) -> Meeting:
    """A meeting of the collaboration's group after the world's (which is justerad and locked)."""
    collaboration = world.a if tag == "A" else world.b
    return Meeting.objects.create(
        collaboration=collaboration,
        group=world.agreements[tag]["group"],
        title=fields.pop("title", "REK-möte december"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **{"place": "Polisstationen", **fields},
    )


def items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))


def by_key(meeting: Meeting) -> dict[str, AgendaItem]:
    return {i.source.get("draft"): i for i in items(meeting) if i.source.get("draft")}


def test_draft_has_every_point_in_order(world):
    meeting = new_meeting(world)
    result = draft_agenda(meeting, world.users["samordnare"])
    kinds = [i.kind for i in items(meeting)]
    assert result.created >= 10
    expected = ["oppnande", "uppfoljning", "arbetsorder", "lagesbild", "signaler", "polisinformation"]
    expected += ["gemensam", "beslut", "nya_order", "nasta_mote"]
    positions = [kinds.index(k) for k in expected]
    assert positions == sorted(positions)
    assert [i.order for i in items(meeting)] == list(range(1, len(kinds) + 1))


def test_begranad_action_goes_to_its_own_begransad_item(world):
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 21, 8, 0, tzinfo=dt.UTC))  # work orders due
    draft_agenda(meeting, world.users["samordnare"])
    drafted = by_key(meeting)
    intern = drafted["uppfoljning"]
    assert intern.level == Level.INTERN
    assert "KANARIE-A-INTERN åtgärd" in intern.prepared_text
    assert "KANARIE-A-OPPEN åtgärd" in intern.prepared_text
    assert "BEGRANSAD" not in intern.prepared_text
    restricted = [i for k, i in drafted.items() if k.startswith("uppfoljning:begransad")]
    assert len(restricted) == 1
    assert restricted[0].level == Level.BEGRANSAD
    assert "KANARIE-A-BEGRANSAD åtgärd" in restricted[0].prepared_text
    action = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    assert restricted[0].source["actions"] == [action.pk]
    # The colour history is in the text.
    assert "gul 2026-03-10" in restricted[0].prepared_text
    orders = [i for k, i in drafted.items() if k.startswith("arbetsorder:begransad")]
    assert orders and "KANARIE-A-BEGRANSAD uppdrag" in orders[0].prepared_text


def test_police_item_is_begransad_and_other_collaboration_never_drafted(world):
    meeting = new_meeting(world)
    draft_agenda(meeting, world.users["samordnare"])
    police = by_key(meeting)["polisinformation"]
    assert police.level == Level.BEGRANSAD
    assert police.restricted_roles == {"polis", "samordnare"}
    text = "\n".join(i.prepared_text + i.title for i in items(meeting))
    assert "KANARIE-B" not in text


def test_a_secretary_who_is_not_samordnare_drafts_only_what_they_may_read(world):
    meeting = new_meeting(world, secretary=world.users["ledamot"])
    draft_agenda(meeting, world.users["ledamot"])
    drafted = [i for i in items(meeting) if not i.carried_from_id]
    text = "\n".join(i.prepared_text + i.title for i in drafted)
    assert "KANARIE-A-INTERN åtgärd" in text
    assert "KANARIE-A-BEGRANSAD" not in text
    # A begränsad point of the last meeting is carried at its own level, out of the ledamot's sight.
    carried = [i for i in items(meeting) if i.carried_from_id and "BEGRANSAD" in i.title]
    assert [i.level for i in carried] == [Level.BEGRANSAD]


def test_refresh_never_duplicates_and_keeps_edits(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    draft_agenda(meeting, user)
    count = len(items(meeting))
    again = draft_agenda(meeting, user)
    assert again.created == 0 and again.carried == 0
    assert len(items(meeting)) == count
    # The secretary edits the follow-up item; a new action appears; the refresh adds only the new line.
    item = by_key(meeting)["uppfoljning"]
    agenda_item_update(item=item, acting_user=user, prepared_text="Egen text", version=item.version)
    from samverkan.actions.models import Action

    first = world.cycle["A"]["levels"][Level.INTERN]["action"]
    Action.objects.create(
        collaboration=world.a,
        level=Level.INTERN,
        plan=first.plan,
        number=9,
        title="Ny åtgärd i december",
        responsible=first.responsible,
        start_date=dt.date(2026, 11, 1),
    )
    draft_agenda(meeting, user)
    item.refresh_from_db()
    assert item.prepared_text.startswith("Egen text")
    assert "Ny åtgärd i december" in item.prepared_text
    assert len(items(meeting)) == count
    draft_agenda(meeting, user)
    item.refresh_from_db()
    assert item.prepared_text.count("Ny åtgärd i december") == 1


def test_untouched_item_gets_the_new_text(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 21, 8, 0, tzinfo=dt.UTC))
    draft_agenda(meeting, user)
    order = world.cycle["A"]["levels"][Level.INTERN]["work_order"]
    order.title = "Omdöpt uppdrag"
    order.save()
    draft_agenda(meeting, user)
    assert "Omdöpt uppdrag" in by_key(meeting)["arbetsorder"].prepared_text


def test_unhandled_items_carry_forward_once_at_their_levels(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    result = draft_agenda(meeting, user)
    assert result.carried == 3  # the world's meeting: one unhandled item per level
    carried = [i for i in items(meeting) if i.carried_from_id]
    assert {i.level for i in carried} == {Level.OPPEN, Level.INTERN, Level.BEGRANSAD}
    for item in carried:
        assert item.carried_from.level == item.level
    assert draft_agenda(meeting, user).carried == 0
    handled = world.cycle["A"]["meeting"]["levels"][Level.INTERN]["item"]
    later = new_meeting(world, start=START + dt.timedelta(days=30))
    AgendaItem.objects.filter(pk=handled.pk).update(handled=True)
    # The next meeting carries the December meeting's own unhandled items, not the March ones again.
    assert draft_agenda(later, user).carried == 3


def test_report_back_from_linked_meeting(world):
    from samverkan.meetings.services.decisions import record_decision

    user = world.users["samordnare"]
    strategic = new_meeting(world, title="Folkhälsorådet")
    operative = new_meeting(
        world,
        start=START - dt.timedelta(days=7),
        title="Operativ grupp",
        linked_meeting=strategic,
        link_relation=Meeting.Relation.FORE,
    )
    record_decision(meeting=operative, text="Fler vuxna ute på fredagar", acting_user=user)
    draft_agenda(strategic, user)
    back = by_key(strategic)["aterrapport"]
    assert "Fler vuxna ute på fredagar" in back.prepared_text
    assert back.kind == AgendaItem.Kind.ATERRAPPORTERING


def test_next_meeting_named_in_stockholm_time(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    new_meeting(world, start=dt.datetime(2027, 3, 2, 8, 0, tzinfo=dt.UTC), place="Kommunhuset")
    draft_agenda(meeting, user)
    text = by_key(meeting)["nasta_mote"].prepared_text
    assert "09:00" in text and "Kommunhuset" in text


def test_only_the_writer_of_minutes_drafts(world):
    meeting = new_meeting(world)
    for persona in ("ledamot", "lasare", "polis", "outsider"):
        with pytest.raises(PermissionDenied):
            draft_agenda(meeting, world.users[persona])


def test_locked_minutes_refuse_every_edit(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    draft_agenda(meeting, user)
    item = items(meeting)[0]
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.FOR_JUSTERING)
    with pytest.raises(ValidationError, match="låst"):
        draft_agenda(meeting, user)
    with pytest.raises(ValidationError, match="låst"):
        agenda_item_update(item=item, acting_user=user, notes="x", version=item.version)
    with pytest.raises(ValidationError, match="låst"):
        agenda_item_create(meeting=meeting, title="Ny", acting_user=user)


def test_edit_conflict_keeps_both_texts(world, samordnare2):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    item = agenda_item_create(meeting=meeting, title="Övrigt", acting_user=user)
    seen = item.version
    agenda_item_update(
        item=AgendaItem.objects.get(pk=item.pk), acting_user=samordnare2, notes="Först", version=seen
    )
    with pytest.raises(EditConflict) as caught:
        agenda_item_update(
            item=AgendaItem.objects.get(pk=item.pk), acting_user=user, notes="Sen", version=seen
        )
    body = caught.value.as_api()
    assert body["conflicts"] == [{"field": "notes", "saved": "Först", "sent": "Sen"}]
    assert AgendaItem.objects.get(pk=item.pk).notes == "Först"


def test_open_item_with_personnummer_is_refused(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    with pytest.raises(ValidationError):
        agenda_item_create(meeting=meeting, title="Om 19811218-9876", level=Level.OPPEN, acting_user=user)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_add_move_delete(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    first = agenda_item_create(meeting=meeting, title="Ett", acting_user=user)
    second = agenda_item_create(meeting=meeting, title="Två", acting_user=user)
    police = agenda_item_create(
        meeting=meeting, title="Polisen", kind=AgendaItem.Kind.POLISINFORMATION, acting_user=user
    )
    assert police.level == Level.BEGRANSAD
    assert [i.title for i in items(meeting)] == ["Polisen", "Ett", "Två"]
    agenda_item_move(item=second, up=True, acting_user=user)
    assert [i.title for i in items(meeting)] == ["Polisen", "Två", "Ett"]
    first.refresh_from_db()
    agenda_item_delete(item=first, acting_user=user, version=first.version)
    assert [i.title for i in items(meeting)] == ["Polisen", "Två"]


def test_next_meeting_across_the_daylight_saving_change(world):
    """Sweden moves to summer time on 28 March 2027: 07:00 UTC is 08:00 before and 09:00 after."""
    user = world.users["samordnare"]
    winter = new_meeting(world, start=dt.datetime(2027, 3, 23, 7, 0, tzinfo=dt.UTC))
    new_meeting(world, start=dt.datetime(2027, 3, 30, 7, 0, tzinfo=dt.UTC), place="Skolan")
    draft_agenda(winter, user)
    assert "30 mars 2027 09:00" in by_key(winter)["nasta_mote"].prepared_text
    url = f"/samverkan/{world.a.pk}/moten/{winter.pk}/dagordning/"
    assert "23 mars 2027 08:00" in world.client("samordnare").get(url).content.decode()


def test_refresh_never_puts_stricter_rows_into_a_point_made_looser(world):
    """The secretary made the follow-up point öppen: a refresh leaves the intern actions out of it."""
    user = world.users["samordnare"]
    meeting = new_meeting(world)
    draft_agenda(meeting, user)
    item = by_key(meeting)["uppfoljning"]
    agenda_item_update(
        item=item, acting_user=user, version=item.version, level=Level.OPPEN, prepared_text="Öppen text"
    )
    draft_agenda(meeting, user)
    item.refresh_from_db()
    assert "KANARIE-A-INTERN" not in item.prepared_text
    police = by_key(meeting)["uppfoljning:begransad:polis,samordnare"]
    agenda_item_update(
        item=police,
        acting_user=user,
        version=police.version,
        level=Level.BEGRANSAD,
        restricted_to=["polis", "samordnare", "ledamot"],
    )
    from samverkan.actions.models import Action

    first = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    Action.objects.create(
        collaboration=world.a,
        level=Level.BEGRANSAD,
        plan=first.plan,
        number=9,
        title="Ny begränsad åtgärd",
        responsible=first.responsible,
        start_date=dt.date(2026, 11, 1),
    )
    draft_agenda(meeting, user)
    police.refresh_from_db()
    assert "Ny begränsad åtgärd" not in police.prepared_text


def test_a_deleted_drafted_or_carried_point_stays_deleted_on_refresh(world):
    user = world.users["samordnare"]
    meeting = new_meeting(world, start=dt.datetime(2026, 12, 21, 8, 0, tzinfo=dt.UTC))
    draft_agenda(meeting, user)
    drafted = by_key(meeting)
    signals = drafted["signaler"]
    restricted = next(i for k, i in drafted.items() if k.startswith("uppfoljning:begransad"))
    carried = next(i for i in items(meeting) if i.carried_from_id)
    kept = drafted["arbetsorder"]
    for item in (signals, restricted, carried):
        agenda_item_delete(item=item, acting_user=user, version=item.version)
    meeting.refresh_from_db()
    assert meeting.dropped_agenda_keys == [
        "signaler",
        restricted.source["draft"],
        f"carried:{carried.carried_from_id}",
    ]
    count = len(items(meeting))
    # A new work order arrives before the refresh: the kept point still gets it; the deleted ones
    # (drafted or carried from the previous meeting) are not made again.
    order = world.cycle["A"]["levels"][Level.INTERN]["work_order"]
    order.title = "Omdöpt uppdrag"
    order.save()
    result = draft_agenda(meeting, user)
    assert result.created == 0 and result.carried == 0
    assert len(items(meeting)) == count
    assert "signaler" not in by_key(meeting)
    assert not AgendaItem.objects.filter(meeting=meeting, carried_from=carried.carried_from_id).exists()
    assert "Omdöpt uppdrag" in AgendaItem.objects.get(pk=kept.pk).prepared_text
    # A point the secretary added leaves no key behind.
    own = agenda_item_create(meeting=meeting, title="Egen punkt", acting_user=user)
    agenda_item_delete(item=own, acting_user=user, version=own.version)
    meeting.refresh_from_db()
    assert len(meeting.dropped_agenda_keys) == 3

"""Planning meetings: the year from the group's rhythm, ad hoc meetings, edits with conflict detection and
calendar sequence, cancellation, linked meetings, and the pages that do it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.agreements.models import Group
from samverkan.core.conflicts import EditConflict
from samverkan.core.models import Level
from samverkan.meetings.models import Meeting
from samverkan.meetings.services import planning
from samverkan.meetings.services.planning import STOCKHOLM, stockholm_moment

pytestmark = pytest.mark.django_db


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, STOCKHOLM)


def _plan(world, group, year=2027, **kwargs):
    defaults = {
        "weekday": 1,
        "week": 2,
        "start_time": dt.time(9, 0),
        "duration": dt.timedelta(hours=2),
        "place": "Polisstationen",
        "acting_user": world.users["samordnare"],
    }
    return planning.plan_year(group=group, year=year, **{**defaults, **kwargs})


def _strategic_with_operative(world):
    strategic = Group.objects.create(
        collaboration=world.a,
        name="Folkhälsorådet",
        kind=Group.Kind.FOLKHALSORAD,
        tier=Group.Tier.STRATEGISK,
        meetings_per_year=4,
        level=Level.OPPEN,
    )
    operative = Group.objects.create(
        collaboration=world.a,
        name="Brottsförebyggande rådet",
        kind=Group.Kind.BRA,
        meetings_per_year=8,
        meets_around=strategic,
        meets_around_relation=Group.Relation.FORE_OCH_EFTER,
        place="Kommunhuset",
        level=Level.OPPEN,
    )
    return strategic, operative


def test_plan_year_places_the_rhythms_months_at_the_chosen_weekday_and_local_time(world):
    group = world.agreements["A"]["group"]  # four a year
    created = _plan(world, group)
    assert [_local(m.starts_at).month for m in created] == [2, 5, 8, 11]  # the årshjul's months
    for meeting in created:
        local = _local(meeting.starts_at)
        assert local.weekday() == 1 and 8 <= local.day <= 14  # second Tuesday
        assert (local.hour, local.minute) == (9, 0)  # 09:00 in Stockholm, summer and winter alike
        assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=2)
        assert meeting.place == "Polisstationen" and meeting.kind == Meeting.Kind.PLANERAT


def test_plan_year_skips_months_that_have_a_meeting_and_is_idempotent(world):
    group = world.agreements["A"]["group"]
    start = stockholm_moment(dt.date(2027, 5, 3), dt.time(13, 0))
    planning.meeting_create(
        collaboration=world.a,
        group=group,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        acting_user=world.users["samordnare"],
    )
    created = _plan(world, group)
    assert [_local(m.starts_at).month for m in created] == [2, 8, 11]
    assert _plan(world, group) == []


def test_only_the_samordnare_plans(world):
    group = world.agreements["A"]["group"]
    for persona in ("ledamot", "polis", "lasare", "outsider"):
        with pytest.raises(PermissionDenied):
            _plan(world, group, acting_user=world.users[persona])
    assert not Meeting.objects.filter(group=group, starts_at__year=2027).exists()


def test_a_group_of_another_collaboration_end_before_start_and_strangers_are_refused(world):
    other_group = world.agreements["B"]["group"]
    start = stockholm_moment(dt.date(2027, 3, 1), dt.time(9, 0))
    with pytest.raises(ValidationError) as error:
        planning.meeting_create(
            collaboration=world.a,
            group=other_group,
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            secretary=world.users["outsider"],
            justerare=[world.users["outsider"]],
            acting_user=world.users["samordnare"],
        )
    assert set(error.value.message_dict) == {"group", "ends_at", "secretary", "justerare"}
    assert "sluta efter" in error.value.message_dict["ends_at"][0]


def test_a_material_change_raises_the_sequence_and_a_role_change_does_not(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    samordnare = world.users["samordnare"]
    kwargs = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "title": meeting.title,
        "convener": None,
        "chair": None,
        "secretary": samordnare,
        "justerare": [world.users["ledamot"], world.users["polis"]],
        "acting_user": samordnare,
    }
    planning.meeting_update(meeting=meeting, version=meeting.version, **kwargs)
    meeting.refresh_from_db()
    assert meeting.ics_sequence == 0 and meeting.secretary == samordnare
    assert set(meeting.justerare.all()) == {world.users["ledamot"], world.users["polis"]}
    kwargs["place"] = "Kommunhuset"
    planning.meeting_update(meeting=meeting, version=meeting.version, **kwargs)
    meeting.refresh_from_db()
    assert meeting.ics_sequence == 1


def test_two_planners_editing_the_same_meeting_conflict(world, samordnare2):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    seen = meeting.version
    common = {
        "ends_at": meeting.ends_at,
        "starts_at": meeting.starts_at,
        "title": meeting.title,
        "convener": None,
        "chair": None,
        "secretary": None,
        "justerare": [],
    }
    planning.meeting_update(
        meeting=Meeting.objects.get(pk=meeting.pk),
        place="Kommunhuset",
        acting_user=samordnare2,
        version=seen,
        **common,
    )
    with pytest.raises(EditConflict) as conflict:
        planning.meeting_update(
            meeting=Meeting.objects.get(pk=meeting.pk),
            place="Biblioteket",
            acting_user=world.users["samordnare"],
            version=seen,
            **common,
        )
    assert {f.name: (f.saved, f.sent) for f in conflict.value.fields}["place"] == (
        "Kommunhuset",
        "Biblioteket",
    )
    assert Meeting.objects.get(pk=meeting.pk).place == "Kommunhuset"


def test_cancel_needs_a_reason_marks_the_meeting_and_raises_the_sequence(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    with pytest.raises(ValidationError):
        planning.meeting_cancel(meeting=meeting, reason="  ", acting_user=world.users["samordnare"])
    planning.meeting_cancel(
        meeting=meeting, reason="Krockar med kommunfullmäktige", acting_user=world.users["samordnare"]
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INSTALLT and meeting.cancelled_at and meeting.ics_sequence == 1
    with pytest.raises(ValidationError):
        planning.meeting_cancel(meeting=meeting, reason="igen", acting_user=world.users["samordnare"])


def test_an_open_cancel_reason_with_a_personnummer_is_refused(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    with pytest.raises(ValidationError):
        planning.meeting_cancel(
            meeting=meeting, reason="Sjuk: 19121212-1212", acting_user=world.users["samordnare"]
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANERAT and meeting.ics_sequence == 0


def test_planning_the_strategic_year_creates_the_operative_meetings_before_and_after(world):
    strategic, operative = _strategic_with_operative(world)
    created = _plan(world, strategic, with_linked=True)
    assert len(created) == 4
    for meeting in created:
        linked = {m.link_relation: m for m in Meeting.objects.filter(linked_meeting=meeting)}
        assert set(linked) == {"fore", "efter"}
        assert linked["fore"].group == operative and linked["fore"].place == "Kommunhuset"
        assert _local(linked["fore"].starts_at) == _local(meeting.starts_at) - dt.timedelta(days=7)
        assert _local(linked["efter"].starts_at).time() == dt.time(9, 0)
    # Offering again makes nothing twice.
    assert planning.linked_meetings_create(meeting=created[0], acting_user=world.users["samordnare"]) == []


# --- Pages ---------------------------------------------------------------------------------------------


def test_meeting_list_and_page_show_local_time_roles_and_only_readable_items(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    meeting.secretary = world.users["samordnare"]
    meeting.save()
    url_list = f"/samverkan/{world.a.pk}/moten/"
    url = f"{url_list}{meeting.pk}/"
    body = world.client("ledamot").get(url_list).content.decode()
    assert "KANARIE-A-OPPEN möte" in body and "2026-03-10 10:00" in body  # 09:00 UTC = 10:00 CET
    response = world.client("ledamot").get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "KANARIE-A-OPPEN punkt" in body and "KANARIE-A-INTERN punkt" in body
    assert "KANARIE-A-BEGRANSAD" not in body
    assert "kl. 10:00–12:00" in body and "KANARIE-A-OPPEN deltagare" in body
    assert "Ändra mötet" not in body  # a ledamot does not plan
    body = world.client("polis").get(url).content.decode()
    assert "KANARIE-A-BEGRANSAD punkt" in body
    assert world.client("outsider").get(url).status_code == 404


def test_create_page_plans_an_extra_meeting_and_reports_end_before_start(world):
    group = world.agreements["A"]["group"]
    client = world.client("samordnare")
    url = f"/samverkan/{world.a.pk}/moten/nytt/"
    data = {"group": group.pk, "kind": "extra", "day": "2027-10-27", "start": "09:00", "end": "08:00"}
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "Mötet måste sluta efter att det börjar." in response.content.decode()
    )
    assert not Meeting.objects.filter(group=group, kind="extra").exists()
    response = client.post(url, {**data, "end": "11:00", "place": "Skolan"})
    meeting = Meeting.objects.get(group=group, kind="extra")
    assert response.status_code == 302
    assert _local(meeting.starts_at) == dt.datetime(2027, 10, 27, 9, 0, tzinfo=STOCKHOLM)  # first day of CET
    assert world.client("ledamot").post(url, {**data, "end": "11:00"}).status_code == 403


def test_edit_page_shows_a_conflict_with_both_texts(world, samordnare2):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    url = f"/samverkan/{world.a.pk}/moten/{meeting.pk}/andra/"
    data = {
        "day": "2026-03-10",
        "start": "10:00",
        "end": "12:00",
        "title": meeting.title,
        "version": meeting.version,
    }
    assert world.client("samordnare2").post(url, {**data, "place": "Kommunhuset"}).status_code == 302
    response = world.client("samordnare").post(url, {**data, "place": "Biblioteket"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Kommunhuset" in body and "Biblioteket" in body


def test_plan_page_plans_the_year(world):
    group = world.agreements["A"]["group"]
    url = f"/samverkan/{world.a.pk}/moten/planera/"
    assert world.client("samordnare").get(f"{url}?grupp={group.pk}").status_code == 200
    data = {"group": group.pk, "year": 2028, "weekday": 3, "week": 5, "start": "13:00", "duration": 90}
    response = world.client("samordnare").post(url, data)
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(group=group, starts_at__year=2028))
    assert len(meetings) == 4 and all(_local(m.starts_at).day > 21 for m in meetings)  # last Thursday
    assert world.client("ledamot").post(url, data).status_code == 403


def test_cancel_page(world):
    meeting = world.cycle["A"]["meeting"]["meeting"]
    url = f"/samverkan/{world.a.pk}/moten/{meeting.pk}/stall-in/"
    response = world.client("samordnare").post(url, {"reason": "", "version": meeting.version})
    assert response.status_code == 200 and "Skriv varför mötet ställs in." in response.content.decode()
    response = world.client("samordnare").post(
        url, {"reason": "Lokalen är upptagen", "version": meeting.version}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INSTALLT
    assert (
        "Mötet är inställt."
        in world.client("lasare").get(f"/samverkan/{world.a.pk}/moten/{meeting.pk}/").content.decode()
    )


# --- Demo ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_has_malas_rek_year_and_alvsbyns_linked_meetings(monkeypatch, tmp_path, settings):
    from samverkan.core.demo import load_demo
    from samverkan.meetings.demo import ALVSBYN, MALA

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    rek = list(Meeting.objects.filter(collaboration__name=MALA, group__kind=Group.Kind.REK))
    assert len(rek) == 4 and {m.starts_at.year for m in rek} == {2022}
    assert all("Polisstationen" in m.place and m.convener is not None for m in rek)
    assert rek[0].convener.memberships.get(collaboration__name=MALA).role == "samordnare"
    strategic = Meeting.objects.filter(collaboration__name=ALVSBYN, group__kind=Group.Kind.FOLKHALSORAD)
    assert strategic.count() == 4
    for meeting in strategic:
        assert set(
            Meeting.objects.filter(linked_meeting=meeting).values_list("link_relation", flat=True)
        ) == {
            "fore",
            "efter",
        }
    count = Meeting.objects.count()
    load_demo()
    assert Meeting.objects.count() == count

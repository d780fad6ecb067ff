"""Work orders: giving them, marking them done by the organisation, Mina uppdrag, the weekly digest, and
the /work-orders API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.actions.models import Action, WorkOrder, WorkOrderDigest
from samverkan.actions.selectors.workorders import my_tasks
from samverkan.actions.services.workorders import send_weekly_digests, work_order_complete, work_order_save
from samverkan.core.conflicts import EditConflict
from samverkan.core.models import Level, Role
from tests.actions.factories import api_fixture, make_work_order  # noqa: F401 (the fixture "api")
from tests.api.conftest import validation_errors
from tests.factories import MembershipFactory, OrganisationFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _save(world, **fields):
    values = {
        "collaboration": world.a,
        "title": "Inventera belysningen",
        "organisation": world.org_a,
        "due_on": dt.date(2026, 12, 15),
        "acting_user": world.users["samordnare"],
        **fields,
    }
    return work_order_save(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation": None}, "organisation"),
        ({"due_on": None}, "due_on"),
        ({"due_next_meeting": True}, "due_on"),
        ({"status": "kanske"}, "status"),
        ({"title": "Ring 070-123 45 67", "level": Level.OPPEN}, "title"),
    ],
)
def test_bad_work_orders_are_refused_and_nothing_is_written(world, changes, field):
    before = WorkOrder.objects.count()
    with pytest.raises(ValidationError) as error:
        _save(world, **changes)
    assert field in error.value.message_dict
    assert WorkOrder.objects.count() == before


def test_a_work_order_for_another_collaborations_organisation_or_action_is_refused(world):
    with pytest.raises(ValidationError) as error:
        _save(world, organisation=world.org_b)
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _save(world, action=world.cycle["B"]["levels"][Level.OPPEN]["action"])
    assert "action" in error.value.message_dict


def test_by_the_next_meeting_and_the_actions_level(world):
    action = world.cycle["A"]["levels"][Level.BEGRANSAD]["action"]
    order = _save(world, due_on=None, due_next_meeting=True, action=action)
    assert order.level == Level.BEGRANSAD and order.due_next_meeting


def test_the_organisation_marks_its_own_done_others_may_not(world):
    order = make_work_order(world.a, world.org_a)
    other_org = OrganisationFactory(name="Räddningstjänsten")
    ParticipationFactory(collaboration=world.a, organisation=other_org)
    foreign = make_work_order(world.a, other_org)
    work_order_complete(work_order=order, acting_user=world.users["ledamot"])
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.KLAR and order.done_on is not None
    with pytest.raises(PermissionDenied):
        work_order_complete(work_order=foreign, acting_user=world.users["ledamot"])
    with pytest.raises(PermissionDenied):
        work_order_complete(work_order=foreign, acting_user=world.users["lasare"])
    with pytest.raises(PermissionDenied):
        _save(world, acting_user=world.users["ledamot"])


def test_two_marking_done_from_a_stale_page_the_second_is_told(world):
    order = make_work_order(world.a, world.org_a)
    version = order.version
    work_order_complete(work_order=order, acting_user=world.users["samordnare"], version=version)
    stale = WorkOrder.objects.get(pk=order.pk)
    with pytest.raises(EditConflict):
        work_order_complete(work_order=stale, acting_user=world.users["ledamot"], version=version, done=False)
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.KLAR


def test_mina_uppdrag_lists_the_organisations_tasks_soonest_first(world):
    other_org = OrganisationFactory(name="Räddningstjänsten")
    ParticipationFactory(collaboration=world.a, organisation=other_org)
    make_work_order(world.a, other_org, title="Någon annans uppdrag")
    later = make_work_order(world.a, world.org_a, title="Senare", due_on=dt.date(2027, 2, 1))
    sooner = make_work_order(world.a, world.org_a, title="Snart", due_on=dt.date(2026, 12, 8))
    meeting = make_work_order(world.a, world.org_a, title="Till mötet", due_on=None, due_next_meeting=True)
    make_work_order(world.a, world.org_a, title="Redan klart", status=WorkOrder.Status.KLAR)
    tasks = my_tasks(user=world.users["ledamot"], today=dt.date(2026, 12, 6))
    orders = [t.work_order.title for t in tasks if t.work_order]
    assert orders.index("Snart") < orders.index("Senare") < orders.index("Till mötet")
    assert "Någon annans uppdrag" not in orders and "Redan klart" not in orders
    assert "KANARIE-A-BEGRANSAD uppdrag" not in orders and "KANARIE-A-INTERN uppdrag" in orders
    # Actions the organisation is responsible for that were never followed up, or a quarter ago.
    intern_action = world.cycle["A"]["levels"][Level.INTERN]["action"]  # followed up 2026-03-10
    assert intern_action.pk in {t.action.pk for t in tasks if t.action}  # a quarter has passed
    spring = my_tasks(user=world.users["ledamot"], today=dt.date(2026, 4, 1))
    assert intern_action.pk not in {t.action.pk for t in spring if t.action}
    page = world.client("ledamot").get(reverse("actions:mine")).content.decode()
    assert page.index("Snart") < page.index("Senare") and "Till nästa möte" in page
    assert "KANARIE-A-BEGRANSAD" not in page
    assert later.pk and sooner.pk and meeting.pk
    per_collaboration = world.client("polis").get(reverse("actions:mine_collaboration", args=[world.a.pk]))
    assert "KANARIE-A-BEGRANSAD uppdrag" in per_collaboration.content.decode()


def test_an_action_due_for_follow_up_is_on_the_list(world):
    action = world.cycle["A"]["levels"][Level.OPPEN]["action"]
    action.followups.all().delete()
    tasks = my_tasks(user=world.users["ledamot"], today=dt.date(2026, 12, 6))
    assert action.pk in {t.action.pk for t in tasks if t.action}
    Action.objects.filter(pk=action.pk).update(status=Action.Status.GENOMFORD)
    tasks = my_tasks(user=world.users["ledamot"], today=dt.date(2026, 12, 6))
    assert action.pk not in {t.action.pk for t in tasks if t.action}


def test_done_button_on_the_list(world):
    order = make_work_order(world.a, world.org_a, title="Knapp")
    client = world.client("ledamot")
    response = client.post(
        reverse("actions:workorder_done", args=[world.a.pk, order.pk]),
        {"version": order.version, "tillbaka": "mina", "done": "1"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/mina-uppdrag/")
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.KLAR
    assert (
        world.client("lasare")
        .post(reverse("actions:workorder_done", args=[world.a.pk, order.pk]))
        .status_code
        == 403
    )


def test_work_order_pages(world):
    client = world.client("samordnare")
    url = reverse("actions:workorder_create", args=[world.a.pk])
    bad = client.post(
        url, {"title": "Röj buskarna", "level": "intern", "status": "oppen", "organisation": world.org_a.pk}
    )
    assert bad.status_code == 200
    assert "Ange ett datum, eller att uppdraget ska vara klart till nästa möte." in bad.content.decode()
    assert not WorkOrder.objects.filter(title="Röj buskarna").exists()
    good = client.post(
        url,
        {
            "title": "Röj buskarna",
            "level": "intern",
            "status": "oppen",
            "organisation": world.org_a.pk,
            "due_next_meeting": "on",
        },
    )
    assert good.status_code == 302
    listing = client.get(reverse("actions:workorder_list", args=[world.a.pk])).content.decode()
    assert "Röj buskarna" in listing and "till nästa möte" in listing
    assert world.client("ledamot").get(url).status_code == 403


# --- The weekly digest --------------------------------------------------------------------------


def test_one_digest_per_user_a_week_and_never_twice(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = dt.date(2026, 12, 7)  # a Monday; the world's work orders are due 2026-12-20
    make_work_order(world.a, world.org_a, title="Försenat", due_on=dt.date(2026, 11, 30))
    make_work_order(world.a, world.org_a, title="Långt fram", due_on=dt.date(2027, 3, 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        sent = send_weekly_digests(today=today)
        again = send_weekly_digests(today=today + dt.timedelta(days=2))
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Every member of A (all act for org_a), and B's samordnare for B's own work orders.
    members = ("samordnare", "polis", "ledamot", "lasare", "outsider")
    assert recipients == sorted(f"{p}@example.org" for p in members)
    assert sent == 5 and again == 0
    by_user = {m.to[0]: m.body for m in mail.outbox}
    ledamot = by_user["ledamot@example.org"]
    assert "Försenat" in ledamot and "försenat" in ledamot and "Långt fram" not in ledamot
    assert "KANARIE-A-INTERN uppdrag" in ledamot and "KANARIE-A-BEGRANSAD" not in ledamot
    # Even a reader who may read it gets no begränsad title by e-mail, only that there is one.
    assert "KANARIE-A-BEGRANSAD" not in by_user["polis@example.org"]
    assert "begränsad läsrätt" in by_user["polis@example.org"]
    assert "KANARIE-A" not in by_user["outsider@example.org"]
    assert WorkOrderDigest.objects.filter(week=dt.date(2026, 12, 7)).count() == 5


def test_no_digest_when_there_is_nothing_to_do(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    WorkOrder.objects.update(status=WorkOrder.Status.KLAR)
    lone = UserFactory(username="ensam", email="ensam@example.org")
    MembershipFactory(user=lone, collaboration=world.a, role=Role.LEDAMOT, organisation=world.org_a)
    assert send_weekly_digests(today=dt.date(2026, 12, 7)) == 0
    assert mail.outbox == [] and not WorkOrderDigest.objects.exists()


# --- API ---------------------------------------------------------------------------------------


def test_work_order_api_reads_by_level(api, world):
    path = f"/collaborations/{world.a.pk}/work-orders"
    assert api("polis", "get", path).json()["count"] == 3
    ledamot = api("ledamot", "get", path).json()
    assert ledamot["count"] == 2 and "KANARIE-A-BEGRANSAD" not in str(ledamot)
    begransad = world.cycle["A"]["levels"][Level.BEGRANSAD]["work_order"]
    assert api("ledamot", "get", f"/work-orders/{begransad.pk}").status_code == 404
    assert api("outsider", "get", f"/work-orders/{begransad.pk}").status_code == 404
    assert api("outsider", "get", path).status_code == 404


def test_work_order_api_writes(api, world):
    path = f"/collaborations/{world.a.pk}/work-orders"
    body = {"title": "Städa parken", "organisation": world.org_a.pk, "due_on": "2026-12-20"}
    created = api("samordnare", "post", path, body)
    assert created.status_code == 201, created.content
    order_id = created.json()["id"]
    assert api("ledamot", "post", path, body).status_code == 403
    assert "organisation" in validation_errors(
        api("samordnare", "post", path, {**body, "organisation": None})
    )
    assert "organisation" in validation_errors(
        api("samordnare", "post", path, {**body, "organisation": world.org_b.pk})
    )
    assert "due_on" in validation_errors(
        api("samordnare", "post", path, {"title": "x", "organisation": world.org_a.pk})
    )
    assert WorkOrder.objects.filter(title__in=["x"]).count() == 0
    # A writer of the organisation marks it done, and only that.
    version = created.json()["version"]
    assert api("ledamot", "patch", f"/work-orders/{order_id}", {"title": "Annat"}).status_code == 403
    done = api("ledamot", "patch", f"/work-orders/{order_id}", {"status": "klar", "version": version})
    assert done.status_code == 200 and done.json()["status"] == "klar" and done.json()["done_on"]
    stale = api(
        "samordnare", "patch", f"/work-orders/{order_id}", {"title": "Städa torget", "version": version}
    )
    assert stale.status_code == 409
    assert api("lasare", "patch", f"/work-orders/{order_id}", {"status": "oppen"}).status_code == 403
    assert api("samordnare", "delete", f"/work-orders/{order_id}").status_code == 204


def test_the_weekly_job_sends_the_digest(world, settings):
    from samverkan.actions.tasks import send_work_order_digests

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        send_work_order_digests.call_local()
    assert "ledamot@example.org" in {m.to[0] for m in mail.outbox}
    assert WorkOrderDigest.objects.filter(user=world.users["ledamot"]).count() == 1


def test_deleting_from_a_stale_page_is_refused_and_keeps_the_order(world):
    from samverkan.actions.models import WorkOrder
    from samverkan.core.models import Level

    order = world.cycle["A"]["levels"][Level.OPPEN]["work_order"]
    url = f"/samverkan/{world.a.pk}/uppdrag/{order.pk}/andra/"
    seen = order.version
    WorkOrder.objects.filter(pk=order.pk).update(version=seen + 1)  # someone saved since the page loaded
    client = world.client("samordnare")
    client.post(url, {"delete": "1", "version": str(seen)})
    assert WorkOrder.objects.filter(pk=order.pk).exists()
    client.post(url, {"delete": "1", "version": str(seen + 1)})
    assert not WorkOrder.objects.filter(pk=order.pk).exists()

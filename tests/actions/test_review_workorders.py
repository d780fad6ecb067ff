"""Issue 13's review: "Mina uppdrag" and the weekly digest read the organisation's open work orders through
one selector, so the page and the mail can never disagree about what an organisation must do."""

from __future__ import annotations

import datetime as dt

import pytest

from samverkan.actions.models import WorkOrder
from samverkan.actions.selectors import workorders as workorder_selectors
from samverkan.actions.services.workorders import digest_orders
from tests.actions.factories import make_work_order
from tests.factories import OrganisationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare", "outsider"])
def test_the_digest_mails_what_mina_uppdrag_lists_within_its_horizon(world, persona):
    other = OrganisationFactory(name="Räddningstjänsten")
    ParticipationFactory(collaboration=world.a, organisation=other)
    make_work_order(world.a, other, title="Någon annans")
    make_work_order(world.a, world.org_a, title="Försenat", due_on=dt.date(2026, 11, 30))
    make_work_order(world.a, world.org_a, title="Till mötet", due_on=None, due_next_meeting=True)
    make_work_order(world.a, world.org_a, title="Klart", status=WorkOrder.Status.KLAR)
    user = world.users[persona]
    listed = {
        task.work_order.pk
        for task in workorder_selectors.my_tasks(user=user, today=TODAY)
        if task.work_order is not None
    }
    mailed = {order.pk for order in digest_orders(user, today=TODAY)}
    assert mailed and mailed <= listed
    assert not WorkOrder.objects.filter(pk__in=mailed, title__in=["Någon annans", "Klart"]).exists()


def test_page_and_digest_share_the_one_selector(world, monkeypatch):
    """Narrowing the shared read narrows both: neither keeps a copy of the query."""
    make_work_order(world.a, world.org_a, title="Försenat", due_on=dt.date(2026, 11, 30))
    user = world.users["ledamot"]
    assert digest_orders(user, today=TODAY)
    monkeypatch.setattr(workorder_selectors, "work_order_queryset", lambda user: WorkOrder.objects.none())
    assert digest_orders(user, today=TODAY) == []
    assert [t for t in workorder_selectors.my_tasks(user=user, today=TODAY) if t.work_order] == []

"""Work orders (arbetsorder, step 5): tasks for an organisation, due by a date or by the next meeting, and
the weekly e-mail digest that tells each member what their organisation must do — never one per change."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, WorkOrder, WorkOrderDigest
from samverkan.actions.selectors.workorders import open_work_orders_of_my_organisations
from samverkan.actions.services.actions import claim_delete
from samverkan.actions.services.plan import require_plan_editor
from samverkan.core.audit import snapshot
from samverkan.core.content import apply_level, content_delete, content_save
from samverkan.core.models import Collaboration, Membership, Organisation
from samverkan.core.permissions import can_complete_work_order

# The digest lists what is overdue and what falls due within this many days.
DIGEST_HORIZON_DAYS = 14


@transaction.atomic
def work_order_save(
    *,
    collaboration: Collaboration,
    title: str,
    organisation: Organisation | None,
    description: str = "",
    due_on: dt.date | None = None,
    due_next_meeting: bool = False,
    action: Action | None = None,
    status: str = WorkOrder.Status.OPPEN,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    work_order: WorkOrder | None = None,
    acting_user: Any,
    version: int | None = None,
) -> WorkOrder:
    """Give ``organisation`` a task (or change ``work_order`` from its ``version``): the samordnare."""
    require_plan_editor(acting_user, collaboration)
    errors: dict[str, str] = {}
    if organisation is None:
        errors["organisation"] = _("Ange vilken organisation uppdraget ges till.")
    elif not collaboration.participations.filter(organisation=organisation).exists():
        errors["organisation"] = _("Organisationen är inte aktör i samverkan.")
    if action is not None and action.collaboration_id != collaboration.pk:
        errors["action"] = _("Åtgärden hör till en annan samverkan.")
    if due_on is None and not due_next_meeting:
        errors["due_on"] = _("Ange ett datum, eller att uppdraget ska vara klart till nästa möte.")
    elif due_on is not None and due_next_meeting:
        errors["due_on"] = _("Ange antingen ett datum eller nästa möte, inte båda.")
    if status not in WorkOrder.Status.values:
        errors["status"] = _("Okänd status.")
    if errors:
        raise ValidationError(errors)
    assert organisation is not None  # refused above
    before = snapshot(work_order) if work_order else None
    row = work_order or WorkOrder(collaboration=collaboration, created_by=acting_user)
    row.title, row.description, row.organisation, row.action = title, description, organisation, action
    row.due_on, row.due_next_meeting = due_on, due_next_meeting
    if status == WorkOrder.Status.KLAR and row.status != WorkOrder.Status.KLAR:
        row.done_on = timezone.localdate()
    elif status != WorkOrder.Status.KLAR:
        row.done_on = None
    row.status = status
    if level is None and row.pk is None and action is not None:
        level, restricted_to = action.level, sorted(action.restricted_roles)
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    return row


@transaction.atomic
def work_order_complete(
    *, work_order: WorkOrder, acting_user: Any, version: int | None = None, done: bool = True
) -> WorkOrder:
    """Mark a work order done (or open again): the samordnare, or a writer for the organisation it is
    given to."""
    if not can_complete_work_order(acting_user, work_order):
        raise PermissionDenied
    before = snapshot(work_order)
    if done:
        work_order.status = WorkOrder.Status.KLAR
        work_order.done_on = work_order.done_on or timezone.localdate()
    else:
        work_order.status, work_order.done_on = WorkOrder.Status.OPPEN, None
    content_save(work_order, acting_user=acting_user, before=before, expected_version=version)
    return work_order


@transaction.atomic
def work_order_delete(*, work_order: WorkOrder, acting_user: Any, version: int | None = None) -> None:
    require_plan_editor(acting_user, work_order.collaboration)
    claim_delete(work_order, version)
    content_delete(work_order, acting_user=acting_user)


# --- The weekly digest ------------------------------------------------------------------------------


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week: the key a digest is sent once for."""
    return day - dt.timedelta(days=day.weekday())


def digest_orders(user: Any, *, today: dt.date) -> list[WorkOrder]:
    """The open work orders of the user's organisations that are overdue, due within the horizon or due
    at the next meeting, read as the user may read them (a digest never tells more than the page)."""
    horizon = today + dt.timedelta(days=DIGEST_HORIZON_DAYS)
    return list(
        open_work_orders_of_my_organisations(user=user)
        .filter(Q(due_on__lte=horizon) | Q(due_on__isnull=True, due_next_meeting=True))
        .select_related("collaboration", "organisation", "action")
        .order_by("due_on", "collaboration__name", "pk")
    )


def _digest_message(user: Any, orders: list[WorkOrder], today: dt.date) -> tuple[str, str, str, list[str]]:
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    by_collaboration: dict[Any, list[WorkOrder]] = defaultdict(list)
    for order in orders:
        by_collaboration[order.collaboration].append(order)
    context = {
        "user": user,
        "today": today,
        "groups": [
            {"collaboration": collaboration, "orders": rows}
            for collaboration, rows in by_collaboration.items()
        ],
        "overdue": sum(1 for o in orders if o.due_on and o.due_on < today),
        "count": len(orders),
        "url": base + reverse("actions:mine"),
        "site_name": settings.SAMVERKAN_SITE_NAME,
    }
    subject = " ".join(render_to_string("actions/email/workorder_digest_subject.txt", context).split())
    body = str(render_to_string("actions/email/workorder_digest.txt", context))
    return subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]


def send_weekly_digests(*, today: dt.date | None = None) -> int:
    """One e-mail per member a week listing their organisation's open work orders that are overdue or
    due soon; nothing when there is nothing. A week's digest is recorded before it is queued (sent when
    the record commits), so a repeated or doubled run sends nothing twice. Returns the mails queued."""
    today = today or timezone.localdate()
    week = week_of(today)
    user_ids = (
        Membership.objects.filter(
            organisation__isnull=False, collaboration__is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
    )
    already = set(WorkOrderDigest.objects.filter(week=week).values_list("user_id", flat=True))
    from django.contrib.auth import get_user_model

    sent = 0
    for user in get_user_model().objects.filter(pk__in=list(user_ids)).exclude(pk__in=already).order_by("pk"):
        orders = digest_orders(user, today=today)
        if not orders:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            message = _digest_message(user, orders, today)
        try:
            with transaction.atomic():
                WorkOrderDigest.objects.create(user=user, week=week, orders=len(orders))
                transaction.on_commit(lambda m=message: send_mass_mail([m], fail_silently=False))  # type: ignore[misc]
        except IntegrityError:
            continue  # another run sent this user's digest for the week meanwhile
        sent += 1
    return sent

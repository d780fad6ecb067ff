"""Citizen promises (medborgarlöften) and their activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    PromiseActivity,
)
from samverkan.agreements.services._common import _require
from samverkan.core.audit import snapshot
from samverkan.core.content import content_delete, content_save, guard_public_text, next_order
from samverkan.core.models import Collaboration, Level, Organisation
from samverkan.core.personaldata import mask_personal_data
from samverkan.core.publication import public_revision_bump


@transaction.atomic
def promise_save(
    *,
    collaboration: Collaboration,
    title: str,
    text: str,
    start_date: dt.date,
    end_date: dt.date,
    status: str = CitizenPromise.Status.PLANERAT,
    agreement: Agreement | None = None,
    replaced_by: Agreement | None = None,
    is_public: bool = True,
    promise: CitizenPromise | None = None,
    acting_user: Any,
    version: int | None = None,
) -> CitizenPromise:
    """Create a promise, or change ``promise`` from its ``version`` (EditConflict if someone saved since)."""
    _require(acting_user, collaboration)
    for name, value in (("agreement", agreement), ("replaced_by", replaced_by)):
        if value is not None and value.collaboration_id != collaboration.pk:
            raise ValidationError({name: _("Överenskommelsen hör till en annan samverkan.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    before = snapshot(promise) if promise else None
    row = promise or CitizenPromise(collaboration=collaboration)
    row.title, row.text, row.start_date, row.end_date, row.status = title, text, start_date, end_date, status
    row.agreement, row.replaced_by = agreement, replaced_by
    # Whether citizens may read it is the confidentiality level: public promises are öppen. A begränsad
    # promise (admin, import) stays begränsad unless made public; "not public" must never widen readers.
    if is_public:
        row.level = Level.OPPEN
    elif row.level != Level.BEGRANSAD:
        row.level = Level.INTERN
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    # Activities take their promise's level (promise_activity_save); keep them in step when it changes.
    # Making the promise public publishes them too, so their text passes the same guard first.
    for activity in row.activities.exclude(level=row.level):
        activity.level = row.level
        try:
            guard_public_text(activity)
        except ValidationError as error:
            raise ValidationError(
                _("Aktiviteten ”%(activity)s”: %(problem)s")
                % {"activity": mask_personal_data(activity.description), "problem": " ".join(error.messages)}
            ) from None
    moved = row.activities.exclude(level=row.level, restricted_to=row.restricted_to).update(
        level=row.level, restricted_to=row.restricted_to
    )
    if moved:
        # The update sends no signal; the promise's own save raised the revision just now, but the
        # public pages must not depend on that order.
        public_revision_bump([row.collaboration_id])
    return row


@transaction.atomic
def promise_activity_save(
    *,
    promise: CitizenPromise,
    description: str,
    responsible: Organisation | None = None,
    status: str = CitizenPromise.Status.PLANERAT,
    due: dt.date | None = None,
    activity: PromiseActivity | None = None,
    acting_user: Any,
) -> PromiseActivity:
    collaboration = promise.collaboration
    _require(acting_user, collaboration)
    if responsible is not None and not collaboration.participations.filter(organisation=responsible).exists():
        raise ValidationError({"responsible": _("Organisationen är inte aktör i samverkan.")})
    before = snapshot(activity) if activity else None
    row = activity or PromiseActivity(
        collaboration=collaboration,
        promise=promise,
        order=next_order(promise.activities),
        level=promise.level,
    )
    row.description, row.responsible, row.status, row.due = description, responsible, status, due
    content_save(row, acting_user=acting_user, before=before)
    return row


@transaction.atomic
def promise_activity_delete(*, activity: PromiseActivity, acting_user: Any) -> None:
    _require(acting_user, activity.promise.collaboration)
    content_delete(activity, acting_user=acting_user)

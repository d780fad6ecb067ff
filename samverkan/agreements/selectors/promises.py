"""Citizen promises and their activities: lists, one row, and the API's reads."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    PromiseActivity,
)
from samverkan.agreements.selectors._common import _one_visible
from samverkan.core.models import Collaboration
from samverkan.core.selectors import get_for_user
from samverkan.core.visibility import record_reads


def promise_list(*, user: Any, collaboration: Collaboration) -> QuerySet[CitizenPromise]:
    return (
        CitizenPromise.objects.visible_to(user)
        .filter(collaboration=collaboration)
        .select_related("agreement", "replaced_by")
        .prefetch_related(
            Prefetch(
                "activities", queryset=PromiseActivity.objects.visible_to(user).select_related("responsible")
            )
        )
    )


def get_promise_for_user(user: Any, collaboration: Collaboration, pk: Any) -> CitizenPromise:
    return _one_visible(CitizenPromise.objects.filter(collaboration=collaboration), user=user, pk=pk)


def get_promise_activity_for_user(
    user: Any, promise: CitizenPromise, pk: Any, *, shown: bool = True
) -> PromiseActivity:
    return _one_visible(PromiseActivity.objects.filter(promise=promise), user=user, pk=pk, shown=shown)


def promises_for_display(*, user: Any, collaboration: Collaboration) -> list[CitizenPromise]:
    """The collaboration's promises as the list page shows them; begränsad ones are logged."""
    promises = list(promise_list(user=user, collaboration=collaboration))
    record_reads(user, promises)
    return promises


def promise_activities(*, user: Any, promise: CitizenPromise) -> list[PromiseActivity]:
    """The promise's activities the user may read, as its page shows them; begränsad ones are logged."""
    activities = list(
        PromiseActivity.objects.visible_to(user).filter(promise=promise).select_related("responsible")
    )
    record_reads(user, activities)
    return activities


def promise_queryset(user: Any) -> QuerySet[CitizenPromise]:
    """Promises the user may read, and whether the agreements they name may be named."""
    visible = Agreement.objects.visible_to(user)
    return CitizenPromise.objects.visible_to(user).annotate(
        agreement_visible=Exists(visible.filter(pk=OuterRef("agreement_id"))),
        replaced_by_visible=Exists(visible.filter(pk=OuterRef("replaced_by_id"))),
    )


def get_promise(user: Any, pk: Any) -> CitizenPromise:
    """A promise the user may read (else 404), looked up to be changed or to reach its activities; not logged."""
    return _one_visible(CitizenPromise.objects.select_related("collaboration"), user=user, pk=pk, shown=False)


def promise_detail(*, user: Any, pk: Any) -> CitizenPromise:
    """One promise with its visible activities; the begränsad ones shown are logged."""
    queryset = promise_queryset(user).prefetch_related(
        Prefetch(
            "activities",
            queryset=PromiseActivity.objects.visible_to(user),
            to_attr="api_activities",
        )
    )
    promise: CitizenPromise = get_for_user(queryset, user, pk)
    record_reads(user, promise.api_activities)  # type: ignore[attr-defined]
    return promise

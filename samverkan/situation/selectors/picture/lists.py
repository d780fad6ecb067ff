"""Scoped fetches of rounds and versions, and the list of pictures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from samverkan.core.models import Collaboration, Organisation
from samverkan.situation.models import PictureVersion, Report, Round


def get_round_for_user(user: Any, collaboration: Collaboration, round_id: Any) -> Round:
    """A round of the collaboration (the caller has fetched the collaboration for the user), else 404."""
    round_ = (
        Round.objects.filter(collaboration=collaboration, pk=round_id)
        .select_related("template", "collaboration")
        .first()
        if str(round_id).isdigit()
        else None
    )
    if round_ is None:
        raise Http404
    return round_


def get_version_for_user(user: Any, round_: Round, version_id: Any) -> PictureVersion:
    version = (
        PictureVersion.objects.filter(
            picture__round=round_, collaboration_id=round_.collaboration_id, pk=version_id
        )
        .select_related("picture__round__template", "agreed_by")
        .first()
        if str(version_id).isdigit()
        else None
    )
    if version is None:
        raise Http404
    return version


def picture_versions(*, round_: Round) -> QuerySet[PictureVersion]:
    return (
        PictureVersion.objects.filter(picture__round=round_).select_related("agreed_by").order_by("-number")
    )


def picture_round_list(
    *, collaboration: Collaboration | None = None, collaboration_ids: list[int] | None = None
) -> QuerySet[Round]:
    """Every round of one collaboration (or of several, for the API) with its picture state: the latest
    agreed version's number and date, and completeness."""
    latest = PictureVersion.objects.filter(picture__round=OuterRef("pk")).order_by("-number")
    submitted = (
        Report.objects.filter(round=OuterRef("pk"), status=Report.Status.INSKICKAD)
        .order_by()
        .values("round")
        .annotate(n=Count("id"))
        .values("n")
    )
    asked = (
        Organisation.objects.filter(situation_rounds=OuterRef("pk"))
        .order_by()
        .values("situation_rounds")
        .annotate(n=Count("id"))
        .values("n")
    )
    rounds = (
        Round.objects.filter(collaboration=collaboration)
        if collaboration is not None
        else Round.objects.filter(collaboration_id__in=collaboration_ids or [])
    )
    return rounds.annotate(
        latest_version=Subquery(latest.values("number")[:1]),
        latest_version_id=Subquery(latest.values("pk")[:1]),
        latest_meeting_date=Subquery(latest.values("meeting_date")[:1]),
        latest_meeting=Subquery(latest.values("meeting")[:1]),
        asked_count=Coalesce(Subquery(asked), 0),
        submitted_count=Coalesce(Subquery(submitted), 0),
    ).order_by("-period_start", "-id")

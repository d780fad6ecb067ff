"""Scoped fetches of versions and sections, and the list of pictures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from samverkan.core.models import Collaboration, Organisation
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.situation.models import PictureVersion, Report, Round, Section


def get_version_for_user(user: Any, round_: Round, version_id: Any) -> PictureVersion:
    """An agreed version of the round's picture (the user a member of its collaboration), else 404."""
    return get_for_user(
        PictureVersion.objects.filter(
            picture__round=round_, collaboration_id=round_.collaboration_id
        ).select_related("picture__round__template", "agreed_by"),
        user,
        version_id,
    )


def round_section(round_: Round, pk: Any) -> Section | None:
    """The area (section) of the round's template with this id, or None."""
    number = parse_id(pk)
    return (
        Section.objects.filter(template_id=round_.template_id, pk=number).first()
        if number is not None
        else None
    )


def get_round_area(round_: Round, area: str) -> Section:
    """The area of the round's template named by its id or its area code, else 404."""
    section = (
        round_section(round_, area)
        if parse_id(area) is not None
        else Section.objects.filter(template_id=round_.template_id, area_code=area).first()
    )
    if section is None:
        raise Http404
    return section


def picture_versions(*, round_: Round) -> QuerySet[PictureVersion]:
    return (
        PictureVersion.objects.filter(picture__round=round_).select_related("agreed_by").order_by("-number")
    )


def picture_round_list(*, collaboration: Collaboration) -> QuerySet[Round]:
    """Every round of the collaboration with its picture state (the caller fetched it for the user)."""
    return _with_picture_state(Round.objects.filter(collaboration=collaboration))


def picture_rounds_for(*, user: Any) -> QuerySet[Round]:
    """Every round of the user's collaborations with its picture state (the same list as the UI's)."""
    return _with_picture_state(Round.objects.of_member(user))


def _with_picture_state(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """The rounds with the latest agreed version's number and date, and completeness."""
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
    return rounds.annotate(
        latest_version=Subquery(latest.values("number")[:1]),
        latest_version_id=Subquery(latest.values("pk")[:1]),
        latest_meeting_date=Subquery(latest.values("meeting_date")[:1]),
        latest_meeting=Subquery(latest.values("meeting")[:1]),
        asked_count=Coalesce(Subquery(asked), 0),
        submitted_count=Coalesce(Subquery(submitted), 0),
    ).order_by("-period_start", "-id")

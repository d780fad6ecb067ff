"""The joint situation picture (gemensam lägesbild): live pictures per round, agreed versions, writes.

Reads: the round is looked up among the caller's collaborations (404 otherwise), then the one builder the
page, the PDF and the XLSX use (``build_picture`` / ``version_data``, every part through the visibility
rule) makes the picture; begränsad rows shown are audit-logged by the selectors (``shown_picture``,
``shown_version``). Writes: round visible (404), then the samordnare only (403), then the service
validates (422 naming the field).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from ninja import Status
from ninja.pagination import paginate

from samverkan.core import permissions
from samverkan.core.apikit import Code, ContractRouter, Id, Pagination, Version, check_years, restricted_to_of
from samverkan.situation.api.schemas_pictures import (
    AreaSummaryIn,
    AreaSummaryOut,
    PictureAgreeIn,
    PictureOut,
    PictureRoundOut,
    PictureVersionOut,
)
from samverkan.situation.models import Round
from samverkan.situation.selectors import picture as selectors
from samverkan.situation.selectors.rounds import get_round
from samverkan.situation.services.picture import area_summary_save, picture_agree

router = ContractRouter(tags=["Lägesbild"], operation_ids="samverkan_api_routers_situation_pictures")


# --- Lookups -------------------------------------------------------------------------------------------


def _find_round(request: HttpRequest, round_id: int, *, edit: bool = False) -> Round:
    """A round of the user's collaborations (every member reads the picture; its parts are filtered)."""
    round_ = get_round(request.user, round_id)
    if edit and not permissions.can_edit_joint_picture(request.user, round_.collaboration):
        raise PermissionDenied
    return round_


# --- Serialising the builder's PictureData -------------------------------------------------------------


def _level(part: Any) -> dict[str, Any]:
    """A part's (or a row's) level, naming the roles only when it is begränsad."""
    return {
        "level": part.level,
        "restricted_to": restricted_to_of(part),
    }


def picture_payload(data: selectors.PictureData) -> dict[str, Any]:
    """The picture exactly as the builder gave it to the caller, as plain data for PictureOut."""
    round_ = data.round
    areas = []
    for area in data.areas:
        summary = area.summary
        areas.append(
            {
                "order": area.order,
                "title": area.title,
                "area_code": area.area_code,
                "section_id": area.section_id,
                "cells": [
                    {
                        **_level(cell),
                        "organisation": cell.organisation,
                        "organisation_id": cell.organisation_id,
                        "submitted": cell.submitted,
                        "status": cell.status,
                        "trend": cell.trend,
                        "previous_status": cell.previous_status,
                        "last_year_status": cell.last_year_status,
                        "visible": cell.visible,
                    }
                    for cell in area.cells
                ],
                "texts": [
                    {
                        **_level(text),
                        "organisation": text.organisation,
                        "question": text.question,
                        "kind": text.kind,
                        "text": text.text,
                        "places": text.places,
                    }
                    for text in area.texts
                ],
                "numbers": [
                    {
                        **_level(number),
                        "organisation": number.organisation,
                        "question": number.question,
                        "number": number.number,
                    }
                    for number in area.numbers
                ],
                "summary": {
                    **_level(summary),
                    "text": summary.text,
                    "updated_at": summary.updated_at,
                    "version": summary.version,
                }
                if summary is not None
                else None,
                "event_count": area.event_count,
            }
        )
    return {
        "round": round_.pk,
        "collaboration": round_.collaboration_id,
        "period": round_.period,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "version": data.version,
        "public_only": data.public_only,
        "previous_round": data.previous_round.pk if data.previous_round else None,
        "last_year_round": data.last_year_round.pk if data.last_year_round else None,
        "organisations": data.organisations,
        "areas": areas,
        "events": [
            {
                **_level(event),
                "occurred_at": event.occurred_at,
                "category": event.category,
                "area_code": event.area_code,
                "place": event.place,
                "latitude": event.latitude,
                "longitude": event.longitude,
                "description": event.description,
                "organisation": event.organisation,
                "kommun": event.kommun,
                "occurred_on": event.occurred_on,
            }
            for event in data.events
        ],
        "events_generalised": data.events_generalised,
        "event_counts": [
            {
                **_level(count),
                "category": count.category,
                "area_code": count.area_code,
                "kommun": count.kommun,
                "count": count.count,
                "below_threshold": count.below_threshold,
                "threshold": count.threshold,
            }
            for count in data.event_counts
        ],
        "series": [{"month": m.month, "counts": m.counts, "total": m.total} for m in data.series],
        "completeness": {
            "asked": data.asked_count,
            "submitted": data.submitted_count,
            "missing": data.missing,
            "organisations": [
                {"organisation": c.organisation, "submitted": c.submitted, "submitted_at": c.submitted_at}
                for c in data.completeness
            ],
        },
    }


# --- Reads ---------------------------------------------------------------------------------------------


@router.get("/joint-pictures", response=list[PictureRoundOut])
@paginate(Pagination)
def picture_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, collaboration: Id | None = None, agreed: bool | None = None
):
    """En rad per omgång: hur många som har rapporterat och den senast fastställda versionen.

    ``?agreed=true``: bara omgångar med en fastställd lägesbild; ``?agreed=false``: de utan.
    """
    qs = selectors.picture_rounds_for(user=request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if agreed is not None:
        qs = qs.filter(**{"latest_version_id__isnull": not agreed})  # an annotation
    return qs.order_by("-period_start", "-id")


@router.get("/joint-pictures/{round_id}", response=PictureOut)
def picture_detail(request: HttpRequest, round_id: Id) -> dict[str, Any]:
    """Den levande lägesbilden: per område läge och utveckling per organisation (jämfört med förra
    omgången och samma period i fjol), fritext, samordnarens sammanfattning, händelser och
    tidsserie — de delar du får läsa, var och en med sin sekretessnivå."""
    round_ = _find_round(request, round_id)
    data, _key = selectors.shown_picture(round_=round_, user=request.user)
    return picture_payload(data)


@router.get("/joint-pictures/{round_id}/versions", response=list[PictureVersionOut])
@paginate(Pagination)
def picture_version_list(request: HttpRequest, round_id: Id):  # type: ignore[no-untyped-def]
    """Fastställda versioner av omgångens lägesbild, senaste först."""
    return selectors.picture_versions(round_=_find_round(request, round_id))


@router.get("/joint-pictures/{round_id}/versions/{version_id}", response=PictureOut)
def picture_version_detail(
    request: HttpRequest, round_id: Id, version_id: Id, oppen: bool = False
) -> dict[str, Any]:
    """En fastställd version som den frystes, de delar du får läsa. ``?oppen=true``: bara öppna delar
    (det som får publiceras)."""
    round_ = _find_round(request, round_id)
    version = selectors.get_version_for_user(request.user, round_, version_id)
    return picture_payload(selectors.shown_version(version=version, user=request.user, public_only=oppen))


# --- Writes --------------------------------------------------------------------------------------------


@router.put("/joint-pictures/{round_id}/summaries/{area}", response={200: AreaSummaryOut, 204: None})
def picture_summary_save(request: HttpRequest, round_id: Id, area: Code, payload: AreaSummaryIn) -> Status:
    """Spara samordnarens sammanfattning av ett område (samordnare). ``area`` är områdets kod (t.ex.
    ``vald``) eller avsnittets id. Tom text tar bort sammanfattningen (204). Öppen text får inte
    innehålla personuppgifter. Skicka med ``version`` från lägesbilden (0 om området saknade
    sammanfattning): har någon annan sparat sedan dess blir svaret 409 med båda texterna."""
    round_ = _find_round(request, round_id, edit=True)
    section = selectors.get_round_area(round_, area)
    summary = area_summary_save(
        picture_or_round=round_,
        section=section,
        text=payload.text,
        level=payload.level,
        restricted_to=payload.restricted_to,
        acting_user=request.user,
        version=payload.version,
    )
    if summary is None:
        return Status(204, None)
    return Status(
        200,
        {
            **_level(summary),
            "section_id": section.pk,
            "area_code": section.area_code,
            "title": section.title,
            "text": summary.text,
            "updated_at": summary.updated_at,
            "version": summary.version,
        },
    )


@router.delete("/joint-pictures/{round_id}/summaries/{area}", response={204: None})
def picture_summary_delete(
    request: HttpRequest,
    round_id: Id,
    area: Code,
    version: Version | None = None,
) -> Status:
    """Ta bort områdets sammanfattning (samordnare). Med ``?version=`` tas den bara bort om ingen
    annan har ändrat den sedan dess (annars 409 med den sparade texten)."""
    round_ = _find_round(request, round_id, edit=True)
    section = selectors.get_round_area(round_, area)
    area_summary_save(
        picture_or_round=round_, section=section, text="", acting_user=request.user, version=version
    )
    return Status(204, None)


@router.post("/joint-pictures/{round_id}/agree", response={201: PictureVersionOut})
def picture_agree_endpoint(request: HttpRequest, round_id: Id, payload: PictureAgreeIn) -> Status:
    """Fastställ lägesbilden vid ett möte (samordnare): allt fryses, varje del med sin nivå, som nästa
    version. Senare ändringar ger en ny version; den här går att läsa som den var."""
    round_ = _find_round(request, round_id, edit=True)
    meeting_date: dt.date | None = None
    if payload.meeting_date:
        try:
            meeting_date = parse_date(payload.meeting_date.strip())
        except ValueError:
            meeting_date = None
        if meeting_date is None:
            raise ValidationError({"meeting_date": gettext("Ange mötets datum som ÅÅÅÅ-MM-DD.")})
        check_years(meeting_date, "meeting_date", where="body")
    version = picture_agree(
        round_=round_,
        acting_user=request.user,
        meeting=payload.meeting,
        meeting_date=meeting_date,  # type: ignore[arg-type]  # None: the service names the field
    )
    return Status(201, selectors.get_version_for_user(request.user, round_, version.pk))

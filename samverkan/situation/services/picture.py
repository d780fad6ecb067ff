"""The joint situation picture: the samordnare's area summaries, and agreeing (freezing) a version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.conflicts import check_version
from samverkan.core.content import check_level, content_delete, content_save, guard_public_text
from samverkan.core.models import AuditEntry, Level
from samverkan.core.models.collaboration import encode_roles
from samverkan.core.models.confidentiality import DEFAULT_RESTRICTED_TO
from samverkan.core.permissions import can_edit_joint_picture
from samverkan.core.visibility import can_read
from samverkan.situation.models import (
    AreaSummary,
    JointPicture,
    PictureItem,
    PictureVersion,
    Question,
    Round,
    Section,
)
from samverkan.situation.revision import bump_situation_revision
from samverkan.situation.selectors.picture import (
    PART_ANSWER,
    PART_COMPLETENESS,
    PART_SERIES,
    PictureData,
    build_picture,
)

SUMMARY_MAX = 5_000
MEETING_MAX = 200


def joint_picture_for(round_: Round) -> JointPicture:
    """The round's picture row, made the first time it is needed."""
    picture, _created = JointPicture.objects.get_or_create(
        round=round_, defaults={"collaboration_id": round_.collaboration_id}
    )
    return picture


def _require(user: Any, round_: Round) -> None:
    if not can_edit_joint_picture(user, round_.collaboration):
        raise PermissionDenied


@transaction.atomic
def area_summary_save(
    *,
    picture_or_round: JointPicture | Round,
    section: Section,
    text: str,
    level: str = Level.INTERN,
    restricted_to: Iterable[str] = (),
    acting_user: Any,
    version: int | None = None,
) -> AreaSummary | None:
    """Write (or, with empty text, remove) the samordnare's summary of one area. Öppen text is checked
    for personal data. Changes the live picture only; agreed versions keep what they froze.

    ``version`` is the summary's version the writer started from (0: there was none yet); if someone
    saved it since, ``EditConflict`` holds both texts and nothing is written. None saves as before.
    """
    round_ = picture_or_round if isinstance(picture_or_round, Round) else picture_or_round.round
    _require(acting_user, round_)
    if section.template_id != round_.template_id:
        raise ValidationError({"section": _("Området hör inte till omgångens mall.")})
    text = (text or "").strip()
    if len(text) > SUMMARY_MAX:
        raise ValidationError({"text": _("Sammanfattningen får vara högst 5 000 tecken.")})
    encoded = check_level(acting_user, round_.collaboration, level, restricted_to)
    guard_public_text(AreaSummary(level=level, text=text))  # before the picture row is made
    picture = picture_or_round if isinstance(picture_or_round, JointPicture) else joint_picture_for(round_)
    # Summaries of one picture are written one at a time (the picture row is the lock): two writers
    # of the same area's first summary cannot both insert it, and the second sees the first's version.
    list(JointPicture.objects.select_for_update().filter(pk=picture.pk).values_list("pk", flat=True))
    summary = AreaSummary.objects.filter(picture=picture, section=section).first()
    if summary is not None and not can_read(acting_user, summary):
        # Never overwrite (nor show in a conflict) a summary the writer may not read.
        raise ValidationError({"text": _("Området har en sammanfattning som du inte får läsa eller ändra.")})
    if not text:
        if summary is not None:
            # Removing is a change too: a text saved since the writer looked is not removed unseen.
            check_version(summary, version, {"text": ""})
            content_delete(summary, acting_user=acting_user)
            bump_situation_revision(round_.collaboration_id)
        return None
    before = snapshot(summary) if summary else None
    summary = summary or AreaSummary(
        collaboration_id=round_.collaboration_id, picture=picture, section=section
    )
    summary.text, summary.level, summary.restricted_to, summary.updated_by = text, level, encoded, acting_user
    content_save(summary, acting_user=acting_user, before=before, expected_version=version)
    bump_situation_revision(round_.collaboration_id)
    return summary


def _stored_roles(level: str, roles: frozenset[str]) -> str:
    # Non-begränsad rows keep the model default, as every other row does; an empty set for begränsad
    # (no role entitled to every part) means nobody reads the part, which is what strictest() intends.
    return encode_roles(roles) if level == Level.BEGRANSAD else DEFAULT_RESTRICTED_TO


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def freeze_items(data: PictureData, version: PictureVersion) -> list[PictureItem]:
    """Every part of the picture as an unsaved PictureItem carrying the part's own level."""
    items: list[PictureItem] = []

    def add(part: Any, kind: str, area: Any = None, **values: Any) -> None:
        code = values.pop("area_code", "")
        items.append(
            PictureItem(
                collaboration_id=version.collaboration_id,
                version=version,
                kind=kind,
                level=part.level,
                restricted_to=_stored_roles(part.level, part.restricted_to),
                section_order=area.order if area else 0,
                section_title=(area.title if area else "")[:200],
                area_code=area.area_code if area else code,
                **values,
            )
        )

    for area in data.areas:
        for order, cell in enumerate(area.cells):
            add(
                cell,
                PictureItem.Kind.CELL,
                area,
                organisation_name=cell.organisation[:200],
                status=cell.status,
                trend=cell.trend,
                previous_status=cell.previous_status,
                last_year_status=cell.last_year_status,
                payload={"submitted": cell.submitted, "organisation_order": order},
            )
        for text in area.texts:
            add(
                text,
                PictureItem.Kind.PLACES if text.kind == Question.Kind.PLACES else PictureItem.Kind.TEXT,
                area,
                organisation_name=text.organisation[:200],
                question_text=text.question[:500],
                text=text.text,
                payload={"places": text.places},
            )
        for number in area.numbers:
            add(
                number,
                PictureItem.Kind.NUMBER,
                area,
                organisation_name=number.organisation[:200],
                question_text=number.question[:500],
                number=number.number,
                payload={"part": PART_ANSWER},
            )
        if area.summary is not None:
            add(
                area.summary,
                PictureItem.Kind.SUMMARY,
                area,
                text=area.summary.text,
                payload={"updated_at": _iso(area.summary.updated_at)},
            )
    areas = {a.area_code: a for a in data.areas if a.area_code}
    for event in data.events:
        add(
            event,
            PictureItem.Kind.EVENT,
            areas.get(event.area_code),
            area_code=event.area_code,
            organisation_name=event.organisation[:200],
            text=event.description,
            payload={
                "occurred_at": _iso(event.occurred_at),
                "latitude": event.latitude,
                "longitude": event.longitude,
                "category": event.category,
                "place": event.place,
                "kommun": event.kommun,
                "sensitive": event.sensitive,
            },
        )
    for part in data.series_parts:
        add(
            part,
            PictureItem.Kind.NUMBER,
            areas.get(part.area_code),
            area_code=part.area_code,
            number=part.count,
            payload={
                "part": PART_SERIES,
                "month": part.month.isoformat(),
                "category": part.category,
                "sensitive": part.sensitive,
            },
        )
    # Who reported is known to every member, never published.
    completeness = PictureItem(
        collaboration_id=version.collaboration_id,
        version=version,
        kind=PictureItem.Kind.NUMBER,
        level=Level.INTERN,
        number=data.submitted_count,
        payload={
            "part": PART_COMPLETENESS,
            "rows": [
                {
                    "organisation": c.organisation,
                    "submitted": c.submitted,
                    "submitted_at": _iso(c.submitted_at),
                }
                for c in data.completeness
            ],
        },
    )
    items.append(completeness)
    return items


def _guarded(items: list[PictureItem]) -> list[PictureItem]:
    """The frozen parts, refused (every offending part named) if one holds what the guard refuses now.

    Answers, events and summaries written before the guard existed (or before a personnummer was refused
    at every level) may still hold one. The record is refused rather than masked: a samordnare expects
    the agreed version to say what the reports say, and masking only the copy would leave the identifier
    in the report, the live picture and its exports; removed at the source, it is gone from all of them.
    """
    problems = []
    for item in items:
        try:
            guard_public_text(item)
        except ValidationError as error:
            part = " – ".join(
                filter(None, [item.get_kind_display(), item.organisation_name, item.section_title])
            )
            problems.append(_("%(part)s: %(problem)s") % {"part": part, "problem": " ".join(error.messages)})
    if problems:
        raise ValidationError(
            [_("Lägesbilden kan inte fastställas förrän texten är ändrad där den skrevs."), *problems]
        )
    return items


@transaction.atomic
def picture_agree(*, round_: Round, acting_user: Any, meeting: str, meeting_date: dt.date) -> PictureVersion:
    """Agree the joint picture at a meeting: freeze everything, each part at its own level, as version n+1."""
    _require(acting_user, round_)
    meeting = (meeting or "").strip()
    errors = {}
    if not meeting:
        errors["meeting"] = _("Ange vilket möte som fastställde lägesbilden.")
    elif len(meeting) > MEETING_MAX:
        errors["meeting"] = _("Mötets namn får vara högst 200 tecken.")
    if not isinstance(meeting_date, dt.date):
        errors["meeting_date"] = _("Ange mötets datum.")
    if errors:
        raise ValidationError(errors)
    picture = joint_picture_for(round_)
    # Locks the picture row so two samordnare agreeing at once get numbers n+1 and n+2.
    picture = JointPicture.objects.select_for_update().get(pk=picture.pk)
    number = (picture.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PictureVersion.objects.create(
        collaboration_id=round_.collaboration_id,
        picture=picture,
        number=number,
        agreed_by=acting_user,
        meeting=meeting,
        meeting_date=meeting_date,
    )
    data = build_picture(round_=round_, unfiltered=True)
    items = PictureItem.objects.bulk_create(_guarded(freeze_items(data, version)))
    bump_situation_revision(round_.collaboration_id)
    after = snapshot(version)
    after["items"] = len(items)
    audit_change(actor=acting_user, action=AuditEntry.Action.CREATE, obj=version, after=after)
    return version

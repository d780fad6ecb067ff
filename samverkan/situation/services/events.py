"""Händelserapporter and named places: writes, each atomic, permission-checked and audit-logged.

Rows are written with the writing kit (core/content.py): it guards the öppen text an Event names in
``public_text_fields``, validates, saves and audits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.content import check_level, content_delete, content_save, guard_public_text, snapshot
from samverkan.core.models import Collaboration, Kommun, Level, Membership, Organisation, Role
from samverkan.core.models.confidentiality import DEFAULT_RESTRICTED_TO
from samverkan.core.selectors import parse_id
from samverkan.core.shipped import shipped
from samverkan.core.visibility import can_read
from samverkan.situation import geo
from samverkan.situation.models import Event, EventCategory, Place
from samverkan.situation.revision import bump_situation_revision
from samverkan.situation.services.rounds import default_answer_level

DESCRIPTION_MAX = 2_000
PLACE_NAME_MAX = 200
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_MARGIN = dt.timedelta(hours=1)
EVENT_FIELDS = (
    "category",
    "occurred_at",
    "kommun",
    "description",
    "place",
    "place_name",
    "latitude",
    "longitude",
    "level",
    "restricted_to",
    "organisation",
)


# --- Shared checks -----------------------------------------------------------------------------------


def sensitive_open_warning(category: EventCategory) -> str:
    """Why an öppen event of a sensitive category needs the writer's confirmation (form and API alike)."""
    return _(
        "%(category)s är en känslig kategori: en sådan händelse kan peka ut en enskild person. Bekräfta att "
        "den ska vara öppen. Det som publiceras visar den ändå bara som ett antal per kommun och period."
    ) % {"category": shipped(category.name)}


def _check_sensitive_open(
    *, category: Any, level: str, confirmed: bool, already: bool, errors: dict[str, Any]
) -> None:
    """An öppen event of a sensitive category (EventCategory.sensitive) is saved only when the writer
    confirms it, each time an event becomes one (``already``: it was one before this change). Even then
    everything öppen shows it only as a count (selectors/picture/generalise.py)."""
    asked = isinstance(category, EventCategory) and category.sensitive and level == Level.OPPEN
    if asked and not confirmed and not already:
        errors["confirm_sensitive_open"] = sensitive_open_warning(category)


def _kommun(
    collaboration: Collaboration, kommun: Kommun | str | None, errors: dict[str, Any]
) -> Kommun | None:
    """The kommun if it is one of the collaboration's."""
    code = kommun.pk if isinstance(kommun, Kommun) else kommun
    found = collaboration.kommuner.filter(pk=code).first() if code else None
    if found is None:
        errors["kommun"] = _("Välj en av samverkans kommuner.")
    return found


def _check_point(
    latitude: Any, longitude: Any, kommun: Kommun | None, errors: dict[str, Any]
) -> tuple[float | None, float | None]:
    """Both coordinates or neither, in range, and inside the kommun (within the border tolerance)."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        errors["latitude"] = _("Ange både latitud och longitud, eller ingen av dem.")
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        errors["latitude"] = _("Latitud och longitud ska vara decimaltal.")
        return None, None
    if not -90 <= lat <= 90:
        errors["latitude"] = _("Latituden måste ligga mellan -90 och 90.")
    elif not -180 <= lon <= 180:
        errors["longitude"] = _("Longituden måste ligga mellan -180 och 180.")
    elif kommun is not None and not geo.point_in_kommun(kommun.pk, lat, lon):
        errors["latitude"] = _("Punkten ligger utanför %(kommun)s.") % {"kommun": kommun.namn}
    return lat, lon


def _role(user: Any, collaboration: Collaboration) -> str | None:
    return permissions.role_in(user, collaboration)


def _default_organisation(user: Any, collaboration: Collaboration) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=user, collaboration=collaboration)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _check_organisation(
    user: Any, collaboration: Collaboration, organisation: Organisation | None, errors: dict[str, Any]
) -> None:
    """A member reports for their own organisation; the samordnare for any aktör of the collaboration."""
    if organisation is None:
        return
    if _role(user, collaboration) == Role.SAMORDNARE:
        allowed = collaboration.participations.filter(organisation=organisation).exists()
    else:
        own = _default_organisation(user, collaboration)
        allowed = own is not None and own.pk == organisation.pk
    if not allowed:
        errors["organisation"] = _("Du kan bara rapportera för din egen organisation i samverkan.")


def _clean_event(
    *,
    collaboration: Collaboration,
    acting_user: Any,
    values: dict[str, Any],
    confirm_sensitive_open: bool = False,
    was_sensitive_open: tuple[int, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate an event's values (create and update alike); returns cleaned values and field errors.

    ``was_sensitive_open``: (category id, level) of the event before an update, for the sensitive check.
    """
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}

    category = values["category"]
    if not isinstance(category, EventCategory):
        number = parse_id(category)
        category = EventCategory.objects.filter(pk=number).first() if number is not None else None
    if (
        category is None
        or category.collaboration_id not in (None, collaboration.pk)
        or (not category.active and category.pk != values.get("_current_category_id"))
    ):
        errors["category"] = _("Välj en av samverkans händelsekategorier.")
    cleaned["category"] = category

    kommun = _kommun(collaboration, values["kommun"], errors)
    cleaned["kommun"] = kommun

    occurred_at = values["occurred_at"]
    if not isinstance(occurred_at, dt.datetime):
        errors["occurred_at"] = _("Ange när det hände.")
    else:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
        if occurred_at > timezone.now() + FUTURE_MARGIN:
            errors["occurred_at"] = _("Tidpunkten kan inte ligga mer än en timme fram i tiden.")
        elif occurred_at < EARLIEST:
            errors["occurred_at"] = _("Tidpunkten kan inte vara före år 2000.")
    cleaned["occurred_at"] = occurred_at

    description = (values["description"] or "").strip()
    if not description:
        errors["description"] = _("Beskriv vad som hände.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Beskrivningen får vara högst %(max)s tecken.") % {"max": "2 000"}
    cleaned["description"] = description

    place = values["place"]
    if place is not None and not isinstance(place, Place):
        number = parse_id(place)
        place = Place.objects.filter(pk=number).first() if number is not None else None
        if place is None:
            errors["place"] = _("Välj en av samverkans platser.")
    if place is not None and (
        place.collaboration_id != collaboration.pk or (kommun is not None and place.kommun_id != kommun.pk)
    ):
        errors["place"] = _("Platsen hör inte till den valda kommunen i samverkan.")
    cleaned["place"] = place

    place_name = (values["place_name"] or "").strip()
    if not place_name and place is not None:
        place_name = place.name
    if len(place_name) > PLACE_NAME_MAX:
        errors["place_name"] = _("Platsens namn får vara högst 200 tecken.")
    cleaned["place_name"] = place_name

    latitude, longitude = values["latitude"], values["longitude"]
    if (
        latitude in (None, "")
        and longitude in (None, "")
        and place is not None
        and place.latitude is not None
    ):
        latitude, longitude = place.latitude, place.longitude  # the named place's point
    cleaned["latitude"], cleaned["longitude"] = _check_point(latitude, longitude, kommun, errors)

    organisation = values["organisation"]
    _check_organisation(acting_user, collaboration, organisation, errors)
    cleaned["organisation"] = organisation

    level, roles = values["level"], values["restricted_to"]
    try:
        cleaned["restricted_to"] = check_level(acting_user, collaboration, level, roles)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    cleaned["level"] = level
    _check_sensitive_open(
        category=category,
        level=level,
        confirmed=bool(confirm_sensitive_open),
        already=was_sensitive_open is not None
        and category is not None
        and was_sensitive_open == (category.pk, Level.OPPEN),
        errors=errors,
    )
    try:
        # Here too, not only in content_save: the form shows these beside the other fields' errors.
        guard_public_text(Event(level=level, description=description, place_name=place_name))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    return cleaned, errors


# --- Events ----------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    collaboration: Collaboration,
    acting_user: Any,
    category: EventCategory | int,
    occurred_at: dt.datetime,
    kommun: Kommun | str,
    description: str,
    place: Place | int | None = None,
    place_name: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    level: str | None = None,
    restricted_to: list[str] | None = None,
    organisation: Organisation | None = None,
    source: str = Event.Source.MEMBER,
    confirm_sensitive_open: bool = False,
) -> Event:
    """Report one incident. Police events default to begränsad (polis + samordnare), others to intern.

    An öppen event of a sensitive category needs ``confirm_sensitive_open`` (else a ValidationError on it).
    """
    if not permissions.can_report_situation(acting_user, collaboration):
        raise PermissionDenied
    if source not in Event.Source.values:
        raise ValidationError({"source": _("Okänd källa.")})
    if level is None:
        level, default_roles = default_answer_level(acting_user, collaboration)
        restricted_to = default_roles if restricted_to is None else restricted_to
    elif restricted_to is None and level == Level.BEGRANSAD:
        restricted_to = DEFAULT_RESTRICTED_TO.split(",")
    if organisation is None:
        organisation = _default_organisation(acting_user, collaboration)
    cleaned, errors = _clean_event(
        collaboration=collaboration,
        acting_user=acting_user,
        values={
            "category": category,
            "occurred_at": occurred_at,
            "kommun": kommun,
            "description": description,
            "place": place,
            "place_name": place_name,
            "latitude": latitude,
            "longitude": longitude,
            "level": level,
            "restricted_to": restricted_to or [],
            "organisation": organisation,
        },
        confirm_sensitive_open=confirm_sensitive_open,
    )
    if errors:
        raise ValidationError(errors)
    event = Event(collaboration=collaboration, reported_by=acting_user, source=source, **cleaned)
    content_save(event, acting_user=acting_user)
    bump_situation_revision(event.collaboration_id)
    return event


@transaction.atomic
def event_update(
    *, event: Event, acting_user: Any, confirm_sensitive_open: bool = False, **fields: Any
) -> Event:
    """Change an event (reporter or samordnare). Fields not given keep their values.

    A change that makes it an öppen event of a sensitive category needs ``confirm_sensitive_open``.
    """
    collaboration = event.collaboration
    if not (can_read(acting_user, event) and permissions.can_edit_event(acting_user, event)):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Fältet kan inte ändras.") for name in sorted(unknown)})
    values: dict[str, Any] = {
        "category": event.category,
        "occurred_at": event.occurred_at,
        "kommun": event.kommun,
        "description": event.description,
        "place": event.place,
        "place_name": event.place_name,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "level": event.level,
        "restricted_to": sorted(event.restricted_roles),
        "organisation": event.organisation,
        "_current_category_id": event.category_id,
    }
    values.update(fields)
    if "level" in fields and fields["level"] is None:
        values["level"], default_roles = default_answer_level(acting_user, collaboration)
        values["restricted_to"] = fields.get("restricted_to") or default_roles
    if values["restricted_to"] is None:
        values["restricted_to"] = []
    cleaned, errors = _clean_event(
        collaboration=collaboration,
        acting_user=acting_user,
        values=values,
        confirm_sensitive_open=confirm_sensitive_open,
        was_sensitive_open=(event.category_id, event.level),
    )
    if errors:
        raise ValidationError(errors)
    before = snapshot(event)
    for name, value in cleaned.items():
        setattr(event, name, value)
    content_save(event, acting_user=acting_user, before=before)
    bump_situation_revision(event.collaboration_id)
    return event


@transaction.atomic
def event_delete(*, event: Event, acting_user: Any) -> None:
    if not (can_read(acting_user, event) and permissions.can_edit_event(acting_user, event)):
        raise PermissionDenied
    collaboration_id = event.collaboration_id
    content_delete(event, acting_user=acting_user)
    bump_situation_revision(collaboration_id)


# --- Places ----------------------------------------------------------------------------------------


def _clean_place(
    *, collaboration: Collaboration, values: dict[str, Any], exclude_pk: int | None
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    kommun = _kommun(collaboration, values["kommun"], errors)
    name = (values["name"] or "").strip()
    if not name:
        errors["name"] = _("Ge platsen ett namn.")
    elif len(name) > PLACE_NAME_MAX:
        errors["name"] = _("Platsens namn får vara högst 200 tecken.")
    elif kommun is not None:
        same = Place.objects.filter(collaboration=collaboration, kommun=kommun, name__iexact=name)
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["name"] = _("Det finns redan en plats med det namnet i %(kommun)s.") % {
                "kommun": kommun.namn
            }
    latitude, longitude = _check_point(values["latitude"], values["longitude"], kommun, errors)
    if errors:
        raise ValidationError(errors)
    return {"kommun": kommun, "name": name, "latitude": latitude, "longitude": longitude}


@transaction.atomic
def place_create(
    *,
    collaboration: Collaboration,
    acting_user: Any,
    kommun: Kommun | str,
    name: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Place:
    """A named place of one of the collaboration's kommuner (samordnare)."""
    if not permissions.can_manage_collaboration(acting_user, collaboration):
        raise PermissionDenied
    cleaned = _clean_place(
        collaboration=collaboration,
        values={"kommun": kommun, "name": name, "latitude": latitude, "longitude": longitude},
        exclude_pk=None,
    )
    place = Place(collaboration=collaboration, **cleaned)
    content_save(place, acting_user=acting_user)
    return place


@transaction.atomic
def place_update(*, place: Place, acting_user: Any, **fields: Any) -> Place:
    collaboration = place.collaboration
    if not permissions.can_manage_collaboration(acting_user, collaboration):
        raise PermissionDenied
    unknown = set(fields) - {"kommun", "name", "latitude", "longitude"}
    if unknown:
        raise ValidationError({name: _("Fältet kan inte ändras.") for name in sorted(unknown)})
    values = {
        "kommun": place.kommun,
        "name": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }
    values.update(fields)
    cleaned = _clean_place(collaboration=collaboration, values=values, exclude_pk=place.pk)
    before = snapshot(place)
    for name, value in cleaned.items():
        setattr(place, name, value)
    content_save(place, acting_user=acting_user, before=before)
    bump_situation_revision(place.collaboration_id)
    return place


@transaction.atomic
def place_delete(*, place: Place, acting_user: Any) -> None:
    """Remove a place; its events keep the place's name as text."""
    if not permissions.can_manage_collaboration(acting_user, place.collaboration):
        raise PermissionDenied
    collaboration_id = place.collaboration_id
    content_delete(place, acting_user=acting_user)
    bump_situation_revision(collaboration_id)

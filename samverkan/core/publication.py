"""What the public pages may show has changed: the per-collaboration revision that keys their cache.

Every save or delete of a row that belongs to a collaboration (any model with a ``collaboration`` foreign
key but the audit log), of the collaboration itself, its kommuner and police areas, and of the
organisations, people, kommuner and police areas named on its pages raises the collaboration's
``PublicRevision`` in the same transaction. Over-counting is harmless (one page rendered again); missing
a change would serve a stale public page, so the rule is broad on purpose. A write that bypasses the model signals
(``QuerySet.update``) calls ``public_revision_bump`` itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save

from samverkan.core.models import (
    AuditEntry,
    Collaboration,
    DatabaseEpoch,
    Kommun,
    Organisation,
    Participation,
    Person,
    PoliceArea,
    PublicRevision,
)

# The collaborations whose bump a bulk write (``bumps_deferred``) has put off until it ends.
_deferred: ContextVar[set[int] | None] = ContextVar("public_revision_deferred", default=None)


@contextmanager
def bumps_deferred() -> Iterator[None]:
    """Put off the revision bumps of a bulk write (the rows of a fixture, an import) and raise each
    collaboration once when it ends, instead of two queries per row. Only for writes that render no public
    page before they end; on an exception nothing is bumped (the caller's transaction rolls back)."""
    if _deferred.get() is not None:  # nested: the outermost block bumps
        yield
        return
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield
    finally:
        _deferred.reset(token)
    public_revision_bump(ids)


def public_revision_bump(collaboration_ids: Iterable[int | None]) -> None:
    """Raise the revision of each collaboration (one UPDATE; a first row is created)."""
    ids = {int(pk) for pk in collaboration_ids if pk is not None}
    if not ids:
        return
    deferred = _deferred.get()
    if deferred is not None:
        deferred.update(ids)
        return
    if len(ids) == 1:
        # Every write of a collaboration's rows bumps it: one UPDATE, its row there since its first change.
        (pk,) = ids
        if not PublicRevision.objects.filter(collaboration_id=pk).update(revision=F("revision") + 1):
            _first_revision(pk)
        return
    updated = set(
        PublicRevision.objects.filter(collaboration_id__in=ids).values_list("collaboration_id", flat=True)
    )
    if updated:
        PublicRevision.objects.filter(collaboration_id__in=updated).update(revision=F("revision") + 1)
    for pk in ids - updated:
        _first_revision(pk)


def _first_revision(pk: int) -> None:
    """The collaboration's first revision row, or a bump of the one a concurrent writer just made."""
    try:
        with transaction.atomic():
            PublicRevision.objects.create(collaboration_id=pk, revision=1)
    except IntegrityError:  # made by a concurrent writer in the meantime
        PublicRevision.objects.filter(collaboration_id=pk).update(revision=F("revision") + 1)


def public_revision(collaboration_id: int) -> int:
    """The collaboration's revision (0 before its first change)."""
    row = PublicRevision.objects.filter(collaboration_id=collaboration_id).values_list("revision").first()
    return row[0] if row else 0


def public_revision_of_all() -> int:
    """A number that grows with any change to any collaboration (counters only grow, rows stay)."""
    return PublicRevision.objects.aggregate(total=Sum("revision"))["total"] or 0


def database_epoch() -> str:
    """This database's random token (``DatabaseEpoch``), made on first use: a cache key that holds it
    cannot outlive the database, as a revision alone can after a flush or a demo reset."""
    token = DatabaseEpoch.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is not None:
        return token
    try:
        with transaction.atomic():
            return DatabaseEpoch.objects.create(pk=1, token=secrets.token_hex(16)).token
    except IntegrityError:  # made by a concurrent first request in the meantime
        return DatabaseEpoch.objects.values_list("token", flat=True).get(pk=1)


# --- what raises it ---------------------------------------------------------------------------------


def _collaborations_of_organisations(organisation_ids: Iterable[int]) -> list[int]:
    return list(
        Participation.objects.filter(organisation_id__in=list(organisation_ids)).values_list(
            "collaboration_id", flat=True
        )
    )


def _on_owned_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    public_revision_bump([instance.collaboration_id])


def _on_collaboration(sender: Any, instance: Collaboration, **kwargs: Any) -> None:
    public_revision_bump([instance.pk])


def _on_collaboration_places(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        if isinstance(instance, Collaboration):
            public_revision_bump([instance.pk])
        else:  # changed from the place's side: every collaboration given in pk_set
            public_revision_bump(kwargs.get("pk_set") or [])


def _on_organisation(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    public_revision_bump(_collaborations_of_organisations([instance.pk]))


def _on_person(sender: Any, instance: Person, **kwargs: Any) -> None:
    if instance.pk is not None:
        organisations = instance.organisations.values_list("pk", flat=True)
        public_revision_bump(_collaborations_of_organisations(organisations))


def _on_place(sender: Any, instance: Kommun | PoliceArea, **kwargs: Any) -> None:
    public_revision_bump(instance.collaborations.values_list("pk", flat=True))


def _owned_models() -> list[type[models.Model]]:
    owned = []
    for model in apps.get_models():
        if model in (AuditEntry, PublicRevision, DatabaseEpoch, Collaboration):
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "collaboration"), None)
        if field is not None and field.is_relation and field.related_model is Collaboration:
            owned.append(model)
    return owned


def connect_signals() -> None:
    """Wire the receivers (``CoreConfig.ready``, once every app's models are loaded)."""
    uid = "samverkan.core.publication"
    for model in _owned_models():
        post_save.connect(_on_owned_row, sender=model, dispatch_uid=f"{uid}.save.{model._meta.label}")
        post_delete.connect(_on_owned_row, sender=model, dispatch_uid=f"{uid}.delete.{model._meta.label}")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_on_collaboration, sender=Collaboration, dispatch_uid=f"{uid}.{name}.collaboration")
        signal.connect(_on_organisation, sender=Organisation, dispatch_uid=f"{uid}.{name}.organisation")
    # A person's deletion removes their group memberships, which count as the collaboration's rows.
    post_save.connect(_on_person, sender=Person, dispatch_uid=f"{uid}.save.person")
    post_save.connect(_on_place, sender=Kommun, dispatch_uid=f"{uid}.save.kommun")
    post_save.connect(_on_place, sender=PoliceArea, dispatch_uid=f"{uid}.save.police_area")
    for field in ("kommuner", "police_areas"):
        through = getattr(Collaboration, field).through
        m2m_changed.connect(_on_collaboration_places, sender=through, dispatch_uid=f"{uid}.m2m.{field}")

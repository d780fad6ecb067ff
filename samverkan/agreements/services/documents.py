"""Fact sources and signatories of an agreement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements.models import (
    Agreement,
    FactSource,
    Signatory,
)
from samverkan.agreements.services._common import _require, _require_editable
from samverkan.core.audit import snapshot
from samverkan.core.content import apply_level, content_delete, content_save, next_order
from samverkan.core.models import Organisation

EARLIEST_SIGNATURE = dt.date(1990, 1, 1)


@transaction.atomic
def fact_source_save(
    *,
    agreement: Agreement,
    kind: str,
    rhythm: str,
    description: str = "",
    provider: Organisation | None = None,
    month: int | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    fact_source: FactSource | None = None,
    acting_user: Any,
) -> FactSource:
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    if provider is not None and not collaboration.participations.filter(organisation=provider).exists():
        raise ValidationError({"provider": _("Organisationen är inte aktör i samverkan.")})
    before = snapshot(fact_source) if fact_source else None
    source = fact_source or FactSource(
        collaboration=collaboration, agreement=agreement, order=next_order(agreement.fact_sources)
    )
    source.kind, source.rhythm, source.description, source.provider, source.month = (
        kind,
        rhythm,
        description,
        provider,
        month,
    )
    apply_level(
        source, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to
    )
    content_save(source, acting_user=acting_user, before=before)
    return source


@transaction.atomic
def fact_source_delete(*, fact_source: FactSource, acting_user: Any) -> None:
    _require(acting_user, fact_source.agreement.collaboration)
    _require_editable(fact_source.agreement)
    content_delete(fact_source, acting_user=acting_user)


def _check_signature_date(agreement: Agreement, signed_on: dt.date | None) -> None:
    if signed_on is None:
        return
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Ett underskriftsdatum kan inte ligga i framtiden.")})
    if signed_on < EARLIEST_SIGNATURE:
        raise ValidationError({"signed_on": _("Datumet är orimligt tidigt.")})
    if signed_on > agreement.end_date:
        raise ValidationError(
            {"signed_on": _("Överenskommelsen kan inte undertecknas efter att den har upphört.")}
        )
    if signed_on < agreement.start_date - dt.timedelta(days=2 * 366):
        raise ValidationError({"signed_on": _("Datumet ligger mer än två år före överenskommelsens start.")})


@transaction.atomic
def signatory_save(
    *,
    agreement: Agreement,
    name: str,
    title: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    signed_on: dt.date | None = None,
    signatory: Signatory | None = None,
    acting_user: Any,
) -> Signatory:
    collaboration = agreement.collaboration
    _require(acting_user, collaboration)
    _require_editable(agreement)
    _check_signature_date(agreement, signed_on)
    if organisation is None and not organisation_name.strip():
        raise ValidationError({"organisation": _("Ange vilken part personen skriver under för.")})
    if (
        organisation is not None
        and not collaboration.participations.filter(organisation=organisation).exists()
    ):
        raise ValidationError({"organisation": _("Organisationen är inte aktör i samverkan.")})
    before = snapshot(signatory) if signatory else None
    row = signatory or Signatory(
        collaboration=collaboration, agreement=agreement, order=next_order(agreement.signatories)
    )
    row.name, row.title, row.organisation, row.organisation_name, row.signed_on = (
        name,
        title,
        organisation,
        organisation_name,
        signed_on,
    )
    content_save(row, acting_user=acting_user, before=before)
    return row


@transaction.atomic
def signatory_delete(*, signatory: Signatory, acting_user: Any) -> None:
    _require(acting_user, signatory.agreement.collaboration)
    _require_editable(signatory.agreement)
    content_delete(signatory, acting_user=acting_user)

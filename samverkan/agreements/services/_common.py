"""What every agreement service checks first: who may write, and that a superseded agreement stays history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from samverkan.agreements.models import Agreement
from samverkan.core.models import Collaboration
from samverkan.core.permissions import can_edit_agreements


def _require(user: Any, collaboration: Collaboration) -> None:
    if not can_edit_agreements(user, collaboration):
        raise PermissionDenied


def _require_editable(agreement: Agreement) -> None:
    """A superseded agreement is history: it is read, not rewritten (its successor is changed instead)."""
    if agreement.status == Agreement.Status.ERSATT:
        raise ValidationError(_("En ersatt överenskommelse ändras inte; ändra dess efterföljare."))

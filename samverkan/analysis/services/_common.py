"""What every analysis service checks first: who may write, and that what a row points to is of the
same collaboration and readable by the writer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from samverkan.core.models import Collaboration
from samverkan.core.permissions import can_edit_analysis
from samverkan.core.visibility import can_read


def require_analyst(user: Any, collaboration: Collaboration) -> None:
    if not can_edit_analysis(user, collaboration):
        raise PermissionDenied


def check_ref(user: Any, collaboration: Collaboration, field: str, row: Any) -> None:
    """A row of another collaboration, or one the writer may not read, is refused with one message:
    the answer must not tell the writer that such a row exists elsewhere."""
    if row is None:
        return
    if row.collaboration_id != collaboration.pk or not can_read(user, row):
        raise ValidationError({field: _("Det du pekar på finns inte i den här samverkan.")})

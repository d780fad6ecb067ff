"""The accessibility statement (tillgänglighetsredogörelse) and its feedback.

The statement's facts that differ between deployments (the body that runs the service, its address, the
compliance and the dates of the assessment) come from settings (``SAMVERKAN_OPERATOR_*``,
``SAMVERKAN_ACCESSIBILITY_*``); what the product knows about itself is in the template. Feedback is kept
as a row and e-mailed by a job (``portal.services.feedback_create``) to the operator and to the samordnare of the kommun it names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import AccessibilityFeedback, Membership, Role

COMPLIANCE = {
    "full": _("helt förenlig"),
    "partial": _("delvis förenlig"),
    "none": _("inte förenlig"),
}
DIGG_SUPERVISION_URL = "https://www.digg.se/tdosanmalan"


@dataclass(frozen=True)
class Statement:
    operator: str
    operator_email: str
    service: str
    compliance: str
    compliance_text: str
    assessed_on: dt.date | None
    updated_on: dt.date | None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None  # a mistyped setting shows "not stated", never an error page


def statement() -> Statement:
    compliance = settings.SAMVERKAN_ACCESSIBILITY_COMPLIANCE
    if compliance not in COMPLIANCE:
        compliance = "partial"
    return Statement(
        operator=settings.SAMVERKAN_OPERATOR_NAME,
        operator_email=settings.SAMVERKAN_OPERATOR_EMAIL,
        service=settings.SAMVERKAN_SITE_NAME,
        compliance=compliance,
        compliance_text=str(COMPLIANCE[compliance]),
        assessed_on=_date(settings.SAMVERKAN_ACCESSIBILITY_ASSESSED_ON),
        updated_on=_date(settings.SAMVERKAN_ACCESSIBILITY_UPDATED_ON),
    )


def feedback_allowed(address: str) -> bool:
    """Count one message from ``address``; False once it has sent ``SAMVERKAN_FEEDBACK_PER_HOUR`` this
    hour (the window starts at its first message)."""
    key = f"accessibility-feedback:{address}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count <= settings.SAMVERKAN_FEEDBACK_PER_HOUR


def feedback_recipients(feedback: AccessibilityFeedback) -> list[str]:
    """The operator's address and the samordnare of the active collaborations covering the kommun named."""
    addresses = [settings.SAMVERKAN_OPERATOR_EMAIL] if settings.SAMVERKAN_OPERATOR_EMAIL else []
    if feedback.kommun_id:
        addresses += Membership.objects.filter(
            role=Role.SAMORDNARE,
            collaboration__is_active=True,
            collaboration__kommuner=feedback.kommun_id,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    return sorted({a for a in addresses if a})

"""The portal's one write: a visitor's feedback on the site's accessibility."""

from __future__ import annotations

from django.db import transaction

from samverkan.core.models import AccessibilityFeedback, Kommun
from samverkan.core.personaldata import ensure_no_identity_numbers
from samverkan.portal.tasks import send_accessibility_feedback


def feedback_create(
    *, message: str, contact_email: str = "", page: str = "", kommun: Kommun | None = None
) -> AccessibilityFeedback:
    """Keep the message and mail it after commit. A personnummer is refused: it would be kept and mailed."""
    ensure_no_identity_numbers(message=message)
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            message=message, contact_email=contact_email, page=page[:300], kommun=kommun
        )
        transaction.on_commit(lambda: send_accessibility_feedback(feedback.pk))
    return feedback

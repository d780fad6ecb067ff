"""Background jobs of the portal (Huey)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from huey.contrib.djhuey import db_task

from samverkan.core.accessibility import feedback_recipients
from samverkan.core.models import AccessibilityFeedback


@db_task(retries=3, retry_delay=60)
def send_accessibility_feedback(feedback_id: int) -> None:
    """Mail a visitor's accessibility feedback to the operator and the kommun's samordnare (once)."""
    feedback = AccessibilityFeedback.objects.select_related("kommun").filter(pk=feedback_id).first()
    if feedback is None or feedback.mailed_at is not None:
        return
    recipients = feedback_recipients(feedback)
    if not recipients:
        return  # nobody to tell: the row stays (mailed_at empty) for the admin to read
    context = {"feedback": feedback, "site_name": settings.SAMVERKAN_SITE_NAME}
    subject = render_to_string("portal/email/accessibility_feedback_subject.txt", context).strip()
    body = render_to_string("portal/email/accessibility_feedback.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(mailed_at=timezone.now())

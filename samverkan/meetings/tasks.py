"""Daily jobs of the meetings (Huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from samverkan.meetings.services import justering


@db_periodic_task(crontab(hour="8", minute="0"))
def send_justering_reminders() -> None:
    """Justerare who have not answered minutes due soon or overdue: one e-mail a day at most."""
    justering.send_due_reminders()

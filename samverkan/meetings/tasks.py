"""Meeting jobs (Huey): invitations off the request path, the hourly meeting reminders and the daily
justering reminders.

The services read the meeting as it is when the job runs, and reminders are claimed before they are
mailed, so a retried or doubled run sends nothing twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from samverkan.meetings.services import invitations, justering


@db_task(retries=3, retry_delay=60)
def send_meeting_invitations(meeting_id: int) -> None:
    invitations.send_invitations(meeting_id)


@db_periodic_task(crontab(minute="5"))
def send_meeting_reminders() -> None:
    invitations.send_due_reminders()


@db_periodic_task(crontab(hour="8", minute="0"))
def send_justering_reminders() -> None:
    """Justerare who have not answered minutes due soon or overdue: one e-mail a day at most."""
    justering.send_due_reminders()

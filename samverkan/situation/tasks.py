"""Daily lägesbild jobs (Huey): open the rounds the schedules call for, then send the reminders that are due.

Both services are idempotent, so a retried or doubled run opens no extra round and sends nothing twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from samverkan.situation.services import schedule


@db_periodic_task(crontab(hour="5", minute="30"))
def open_scheduled_rounds() -> None:
    schedule.open_due_rounds()


@db_periodic_task(crontab(hour="8", minute="0"))
def send_round_reminders() -> None:
    schedule.send_due_reminders()

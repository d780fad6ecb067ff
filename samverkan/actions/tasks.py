"""Weekly jobs of the action plan (Huey): the digest of work orders, Monday morning.

The service records each user's week before queuing the mail, so a retried or doubled run sends nothing twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from samverkan.actions.services import workorders


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="0"))
def send_work_order_digests() -> None:
    workorders.send_weekly_digests()

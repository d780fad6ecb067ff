"""Indicator jobs (Huey): polling the police's open events API every 30 minutes, when a deployment turns it on.

``poll_police_events`` does nothing unless ``SAMVERKAN_POLICE_POLL`` is set, so the schedule may run
everywhere; with it on, the API's rules (User-Agent, ≥ 10 s apart, ≤ 60 calls an hour) are kept by
``samverkan.indicators.polling``, whatever else calls the API from the same cache.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from samverkan.indicators import polling


@db_periodic_task(crontab(minute="*/30"))
def poll_police_events() -> None:
    polling.poll_police_events()

"""Demo meetings: a year of Malå's REK group (four, at the police station, convened by the ANDT
coordinator, on the days the action plan's follow-ups were made) and Älvsbyn's folkhälsoråd with the
brottsförebyggande råd's meetings linked before and after each. Plain meetings: the agenda and minutes
are added by their own demo parts. Run once (a group that already has meetings is left alone).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from samverkan.agreements.models import Group
from samverkan.core.models import Collaboration
from samverkan.core.registry import DemoContext
from samverkan.meetings.models import Meeting
from samverkan.meetings.services.planning import meeting_create, plan_year, stockholm_moment

MALA = "Malå kommun och LPO Skellefteå"
ALVSBYN = "Älvsbyns kommun och LPO Piteå älvdal"
# The REK meetings of 2022, the days Malå's action plan was followed up (actions/demo.py).
MALA_YEAR = 2022
ALVSBYN_YEAR = 2026


def load_demo(demo: DemoContext) -> None:
    """Malå's REK year and Älvsbyn's linked strategic and operative meetings."""
    _mala(demo.samordnare.get(MALA))
    _alvsbyn(demo.samordnare.get(ALVSBYN))


def _group(collaboration_name: str, kind: str) -> Group | None:
    collaboration = Collaboration.objects.filter(name=collaboration_name).first()
    if collaboration is None:
        return None
    return Group.objects.filter(collaboration=collaboration, kind=kind, is_active=True).order_by("pk").first()


def _mala(coordinator: Any) -> None:
    group = _group(MALA, Group.Kind.REK)
    if coordinator is None or group is None or Meeting.objects.filter(group=group).exists():
        return
    from samverkan.actions.demo import REK_MEETINGS

    for day in [d for d in REK_MEETINGS if d.year == MALA_YEAR]:
        starts_at = stockholm_moment(day, dt.time(9, 0))
        meeting = meeting_create(
            collaboration=group.collaboration,
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2, minutes=30),
            place=group.place or "Polisstationen i Malå",
            convener=coordinator,
            secretary=coordinator,
            acting_user=coordinator,
        )
        # Held long ago: the demo shows them as done (meeting mode marks real ones).
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.GENOMFORT)


def _alvsbyn(coordinator: Any) -> None:
    strategic = _group(ALVSBYN, Group.Kind.FOLKHALSORAD)
    if coordinator is None or strategic is None or Meeting.objects.filter(group=strategic).exists():
        return
    plan_year(
        group=strategic,
        year=ALVSBYN_YEAR,
        weekday=2,  # Wednesdays
        week=2,
        start_time=dt.time(13, 0),
        duration=dt.timedelta(hours=2),
        place=strategic.place,
        convener=coordinator,
        with_linked=True,
        acting_user=coordinator,
    )

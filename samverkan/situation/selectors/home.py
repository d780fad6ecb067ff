"""Reads for the collaboration home: the open rounds and the joint pictures waiting to be agreed.

A fixed number of queries whatever the number of rounds or organisations (the home has a query budget).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from samverkan.core.models import Collaboration
from samverkan.situation.models import Report, Round
from samverkan.situation.selectors.picture.lists import picture_round_list
from samverkan.situation.selectors.rounds import ReportState, RoundRow, round_rows


@dataclass
class OpenRound:
    """An open round: its completeness, the user's own organisation's report, and who has not submitted."""

    row: RoundRow
    # Asked organisations without a submitted report (filled only for those who may see it).
    missing: list[ReportState] = field(default_factory=list)


def open_rounds(*, user: Any, collaboration: Collaboration, with_missing: bool = False) -> list[OpenRound]:
    """The collaboration's open rounds, latest deadline last; ``with_missing``: who has not submitted."""
    open_rows, _past = round_rows(user=user, collaboration=collaboration, open_only=True)
    rounds = [OpenRound(row) for row in sorted(open_rows, key=lambda r: (r.round.deadline, r.round.pk))]
    if with_missing and rounds:
        by_round = {r.row.round.pk: r for r in rounds}
        reports = {
            (report.round_id, report.organisation_id): report
            for report in Report.objects.filter(round_id__in=by_round)
        }
        asked = (
            Round.organisations.through.objects.filter(round_id__in=by_round)
            .select_related("organisation")
            .order_by("organisation__name", "organisation_id")
        )
        for link in asked:
            report = reports.get((link.round_id, link.organisation_id))
            if report is None or report.status != Report.Status.INSKICKAD:
                by_round[link.round_id].missing.append(ReportState(link.organisation, report))
    return rounds


def pictures_to_agree(*, collaboration: Collaboration) -> QuerySet[Round]:
    """Rounds that are closed (or complete) and have reports, whose joint picture has no agreed version yet;
    the latest first."""
    # Filters on picture_round_list's annotations (Q: the type checker knows only the model's fields).
    unagreed = Q(latest_version__isnull=True, submitted_count__gt=0)
    complete = Q(asked_count__gt=0, submitted_count__gte=F("asked_count"))
    closed = Q(closed_at__isnull=False) | Q(deadline__lt=timezone.now())
    return picture_round_list(collaboration=collaboration).filter(unagreed & (complete | closed))

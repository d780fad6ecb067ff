"""Indicators: the catalogue and its data points with provenance, rates and targets.

Indicators are public open data, so every authenticated user reads every indicator. The one exception is
small counts below the kommun: a DeSO's count under ``SAMVERKAN_SMALL_COUNT_THRESHOLD`` could single out
a person, so it is returned without its value (``suppressed``) unless the user sees exact locations
(``permissions.can_see_exact_locations``: polis or samordnare) in a collaboration covering that kommun.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.pagination import paginate

from samverkan.api.pagination import Pagination
from samverkan.api.routers.agreements import find
from samverkan.api.schemas_indicators import IndicatorDetailOut, IndicatorOut
from samverkan.core import permissions
from samverkan.core.models import Collaboration, Kommun, Lan
from samverkan.core.visibility import membership_roles
from samverkan.indicators import suppression
from samverkan.indicators.models import DataPoint, Indicator, Target
from samverkan.indicators.selectors import rate_per_10000
from samverkan.situation.api.events import query_error

router = Router(tags=["Indikatorer"])

# Levels whose data points belong to one kommun: a detail request must name the kommun (or a län).
LOCAL_LEVELS = frozenset({Indicator.Level.KOMMUN, Indicator.Level.DESO})


def _date(value: str | None, field: str) -> dt.date | None:
    """An ISO date or None; anything else is a 422 naming ``field``."""
    if not value:
        return None
    try:
        day = parse_date(value.strip())
    except ValueError:
        day = None
    if day is None:
        raise query_error(field, gettext("Ange ett datum (ÅÅÅÅ-MM-DD)."))
    return day


def _kommun(value: str | None) -> str | None:
    if not value:
        return None
    kod = value.strip()
    if not Kommun.objects.filter(kod=kod).exists():
        raise query_error("kommun", gettext("Okänd kommunkod (fyra siffror, t.ex. 2418)."))
    return kod


def _lan(value: str | None) -> str | None:
    if not value:
        return None
    kod = value.strip()
    if not Lan.objects.filter(kod=kod).exists():
        raise query_error("lan", gettext("Okänd länskod (två siffror, t.ex. 20)."))
    return kod


def _points_filter(*, kommun: str | None, lan: str | None, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if kommun:
        q &= Q(kommun_id=kommun)
    if lan:
        q &= Q(lan_id=lan) | Q(kommun__lan_id=lan)
    if start:
        q &= Q(period_start__gte=start)
    if end:
        q &= Q(period_start__lte=end)
    return q


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Pagination)
def indicator_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    kommun: str | None = Query(None, description="Bara indikatorer med värden för kommunen (kommunkod)."),
    area: str | None = Query(None, description="Lägesbildens områdeskod, t.ex. vald."),
    level: str | None = Query(None, description="deso, kommun, polisomrade, lan eller riket."),
    source: str | None = Query(None, description="Del av källans namn, t.ex. Polisen eller Brå."),
    date_from: str | None = Query(None, alias="from", description="Bara indikatorer med värden från datum."),
    date_to: str | None = Query(
        None, alias="to", description="Bara indikatorer med värden till och med datum."
    ),
):
    """Indikatorkatalogen: vad som mäts, var och hur ofta. Öppna data: alla inloggade läser alla."""
    if level and level not in Indicator.Level.values:
        raise query_error("level", gettext("Okänd nivå: välj deso, kommun, polisomrade, lan eller riket."))
    points = _points_filter(
        kommun=_kommun(kommun), lan=None, start=_date(date_from, "from"), end=_date(date_to, "to")
    )
    qs: QuerySet[Indicator] = Indicator.objects.all()
    if area:
        qs = qs.filter(area_code=area.strip())
    if level:
        qs = qs.filter(level=level)
    if source:
        qs = qs.filter(source__icontains=source.strip())
    if points:
        qs = qs.filter(Exists(DataPoint.objects.filter(points, indicator=OuterRef("pk"))))
    return qs.order_by("code", "id")


def exact_count_kommuner(user: Any) -> set[str]:
    """Kommuner where ``user`` may see small counts: those of collaborations where they see exact places."""
    collaboration_ids = list(membership_roles(user))
    if not collaboration_ids:
        return set()
    kommuner: set[str] = set()
    for collaboration in Collaboration.objects.filter(pk__in=collaboration_ids).prefetch_related("kommuner"):
        if permissions.can_see_exact_locations(user, collaboration):
            kommuner.update(k.kod for k in collaboration.kommuner.all())
    return kommuner


def data_points(
    *, indicator: Indicator, user: Any, filters: Q, population: dict[str, int | None]
) -> list[dict[str, Any]]:
    """The indicator's points matching ``filters``, oldest first, as the API shows them to ``user``."""
    rows = (
        DataPoint.objects.filter(filters, indicator=indicator)
        .order_by("period_start", "lan_id", "kommun_id", "deso_id")
        .values_list(
            "period_start",
            "value",
            "ci_low",
            "ci_high",
            "kommun_id",
            "lan_id",
            "deso_id",
            "import_run_id",
            "import_run__file_name",
            "import_run__started_at",
        )
    )
    threshold = suppression.threshold()
    exact: set[str] | None = None  # looked up only when a small DeSO count is met
    points = []
    for period_start, value, ci_low, ci_high, kommun, lan, deso, run_id, file_name, imported_at in rows:
        suppressed = False
        if (
            deso is not None
            and indicator.is_count
            and value is not None
            and suppression.is_small(value, threshold)
        ):
            if exact is None:
                exact = exact_count_kommuner(user)
            suppressed = kommun not in exact
        per_10000 = None
        if indicator.is_count and kommun is not None and deso is None and not suppressed:
            per_10000 = rate_per_10000(value, population.get(kommun))
        points.append(
            {
                "period_start": period_start,
                "value": None if suppressed else value,
                "per_10000": per_10000,
                "ci_low": None if suppressed else ci_low,
                "ci_high": None if suppressed else ci_high,
                "kommun": kommun,
                "lan": lan,
                "deso": deso,
                "suppressed": suppressed,
                "import_run": (
                    {"id": run_id, "file_name": file_name, "imported_at": imported_at}
                    if run_id is not None
                    else None
                ),
            }
        )
    return points


def applicable_targets(*, indicator: Indicator, user: Any, kommun: str | None) -> QuerySet[Target]:
    """National targets and those of ``kommun``, set for everyone or by one of the user's collaborations."""
    targets = indicator.targets.filter(
        Q(collaboration__isnull=True) | Q(collaboration_id__in=list(membership_roles(user)))
    )
    targets = targets.filter(Q(kommun__isnull=True) | Q(kommun_id=kommun)) if kommun else targets
    return targets.order_by("valid_from", "id")


@router.get("/indicators/{indicator_id}", response=IndicatorDetailOut, by_alias=True)
def indicator_detail(
    request: HttpRequest,
    indicator_id: int,
    kommun: str | None = Query(
        None, description="Kommunkod; krävs för indikatorer på kommun- och DeSO-nivå."
    ),
    lan: str | None = Query(None, description="Länskod: länets värden (och dess kommuners)."),
    date_from: str | None = Query(None, alias="from", description="Första period (datum)."),
    date_to: str | None = Query(None, alias="to", description="Sista period (datum)."),
) -> dict[str, Any]:
    """En indikator med datapunkter för en kommun eller ett län, varje punkt med sin import (proveniens).

    Antal får också värdet per 10 000 invånare. Små antal på DeSO-nivå (under tröskeln, normalt 5) visas
    utan värde (``suppressed``) för den som inte är polis eller samordnare i en samverkan med kommunen.
    """
    indicator = find(Indicator.objects.all(), indicator_id)
    kommun_kod, lan_kod = _kommun(kommun), _lan(lan)
    start, end = _date(date_from, "from"), _date(date_to, "to")
    if indicator.level in LOCAL_LEVELS and not (kommun_kod or lan_kod):
        raise query_error(
            "kommun",
            gettext("Ange kommun (kommunkod) eller län för en indikator på kommun- eller DeSO-nivå."),
        )
    filters = _points_filter(kommun=kommun_kod, lan=lan_kod, start=start, end=end)
    population = dict(
        Kommun.objects.filter(Q(kod=kommun_kod) if kommun_kod else Q(lan_id=lan_kod)).values_list(
            "kod", "folkmangd"
        )
        if (kommun_kod or lan_kod)
        else []
    )
    result = IndicatorOut.from_orm(indicator).dict()
    result["data_points"] = data_points(
        indicator=indicator, user=request.user, filters=filters, population=population
    )
    result["targets"] = [
        {
            "id": t.pk,
            "value": t.value,
            "per_10000": t.per_10000,
            "kommun": t.kommun_id,
            "collaboration": t.collaboration_id,
            "valid_from": t.valid_from,
            "valid_to": t.valid_to,
            "label": t.label,
        }
        for t in applicable_targets(indicator=indicator, user=request.user, kommun=kommun_kod)
    ]
    return result

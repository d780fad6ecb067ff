"""Statistics of a collaboration's kommuner: the overview and one indicator's chart, table and downloads.

Every member reads (indicators are public open data); the kommuner offered are the collaboration's, and
any other kommun code is a 404.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samverkan.core import permissions
from samverkan.core import selectors as core_selectors
from samverkan.core.exports.xlsx import FORMULA_PREFIXES, XLSX_CONTENT_TYPE, safe_cell
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration, Kommun
from samverkan.core.numbers import format_quantity
from samverkan.core.shipped import shipped
from samverkan.indicators import overview, selectors


def _kommuner(collaboration: Collaboration) -> list[Kommun]:
    return list(collaboration.kommuner.select_related("lan").order_by("namn"))


def _chosen_kommun(kommuner: list[Kommun], code: str | None) -> Kommun | None:
    """The kommun asked for (404 when it is not the collaboration's), else the first one."""
    if not code:
        return kommuner[0] if kommuner else None
    for kommun in kommuner:
        if kommun.kod == code:
            return kommun
    raise Http404


@login_required
@require_GET
def indicator_overview(request: AuthenticatedRequest, collaboration_id: int) -> HttpResponse:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    kommuner = _kommuner(collaboration)
    kommun = _chosen_kommun(kommuner, request.GET.get("kommun"))
    return render(
        request,
        "indicators/overview.html",
        {
            "collaboration": collaboration,
            "kommuner": kommuner,
            "kommun": kommun,
            "groups": overview.kommun_overview(kommun=kommun) if kommun else [],
            "can_import_series": permissions.can_import_series(request.user, collaboration),
            "can_import_statistics": permissions.can_import_statistics(request.user),
        },
    )


def _series_for_request(
    request: AuthenticatedRequest, collaboration_id: int, indicator_id: int
) -> tuple[Collaboration, list[Kommun], overview.IndicatorSeries]:
    collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
    indicator = selectors.get_indicator(indicator_id)
    kommuner = _kommuner(collaboration)
    kommun = _chosen_kommun(kommuner, request.GET.get("kommun"))
    if kommun is None:
        raise Http404
    data = overview.indicator_series(
        indicator=indicator,
        kommun=kommun,
        collaboration_id=collaboration.pk,
        per_10000=overview.shows_per_10000(indicator, kommun, request.GET.get("per")),
    )
    return collaboration, kommuner, data


def _query_with_unit(request: AuthenticatedRequest, data: overview.IndicatorSeries) -> str:
    """The page's query with the unit shown made explicit, so a download holds what the page shows."""
    query = request.GET.copy()
    if data.indicator.is_count:
        query["per"] = overview.PER_10000 if data.per_10000 else overview.PER_COUNT
    return query.urlencode()


@login_required
@require_GET
def indicator_detail(request: AuthenticatedRequest, collaboration_id: int, indicator_id: int) -> HttpResponse:
    collaboration, kommuner, data = _series_for_request(request, collaboration_id, indicator_id)
    return render(
        request,
        "indicators/detail.html",
        {
            "collaboration": collaboration,
            "kommuner": kommuner,
            "indicator": data.indicator,
            "kommun": data.kommun,
            "data": data,
            "has_values": any(row.value is not None for row in data.rows),
            "chart_data": data.chart_data(),
            "chart_summary": _chart_summary(data),
            "query": _query_with_unit(request, data),
        },
    )


def _chart_summary(data: overview.IndicatorSeries) -> str:
    """The chart in one sentence, for its aria-label (the table holds every value)."""
    own = [row for row in data.rows if row.value is not None]
    if not own:
        return _("Diagrammet saknar värden för %(kommun)s.") % {"kommun": data.kommun.namn}
    text = _(
        "Linjediagram: %(name)s i %(kommun)s från %(first)s till %(last)s, i %(unit)s. "
        "Senaste värdet är %(value)s."
    ) % {
        "name": shipped(data.indicator.name),
        "kommun": data.kommun.namn,
        "first": own[0].label,
        "last": own[-1].label,
        "unit": data.unit_label,
        "value": format_quantity(own[-1].value),
    }
    extras = []
    if data.has_lan:
        extras.append(data.lan_name)
    if data.has_riket:
        extras.append(_("riket"))
    if extras:
        text += " " + _("Jämförs med %(others)s.") % {"others": _(" och ").join(extras)}
    if data.compare_axis:
        text += " " + _("Antalen för %(others)s visas mot en egen axel till höger.") % {
            "others": _(" och ").join(extras)
        }
    if data.has_target:
        text += " " + _("En streckad linje visar målet.")
    return text + " " + _("Alla värden finns i tabellen under diagrammet.")


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _download_name(data: overview.IndicatorSeries, extension: str) -> str:
    per = "-per-10000" if data.per_10000 else ""
    return f"{slugify(data.indicator.code)}-{data.kommun.kod}{per}.{extension}"


@login_required
@require_GET
def indicator_csv(request: AuthenticatedRequest, collaboration_id: int, indicator_id: int) -> HttpResponse:
    """The table as CSV the way Swedish Excel opens it: semicolons, decimal commas, a byte-order mark."""
    _collaboration, _kommuner_list, data = _series_for_request(request, collaboration_id, indicator_id)
    header, rows = overview.export_rows(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_text(h) for h in header])
    for row in rows:
        writer.writerow([_number(v) if isinstance(v, Decimal) or v is None else _csv_text(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_download_name(data, "csv")
    )
    return response


def _csv_text(value: Any) -> str:
    # Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection).
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@login_required
@require_GET
def indicator_xlsx(request: AuthenticatedRequest, collaboration_id: int, indicator_id: int) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _collaboration, _kommuner_list, data = _series_for_request(request, collaboration_id, indicator_id)
    header, rows = overview.export_rows(data)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Serie")
    sheet.append([safe_cell(f"{shipped(data.indicator.name)} – {data.kommun.namn}")])
    sheet.append([safe_cell(_("Källa: %(source)s") % {"source": data.indicator.source})])
    sheet.append([safe_cell(h) for h in header])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else safe_cell(v) for v in row])
    sheet.freeze_panes = "B4"
    sheet.column_dimensions["A"].width = 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_download_name(data, "xlsx")
    )
    return response


urlpatterns: list[URLPattern] = [
    path("samverkan/<int:collaboration_id>/statistik/", indicator_overview, name="overview"),
    path("samverkan/<int:collaboration_id>/statistik/<int:indicator_id>/", indicator_detail, name="detail"),
    path(
        "samverkan/<int:collaboration_id>/statistik/<int:indicator_id>/csv/",
        indicator_csv,
        name="detail_csv",
    ),
    path(
        "samverkan/<int:collaboration_id>/statistik/<int:indicator_id>/xlsx/",
        indicator_xlsx,
        name="detail_xlsx",
    ),
]
